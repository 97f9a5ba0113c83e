import { randomUUID } from "node:crypto";

/** New unique ids (order ids, event ids), passed in so tests can make them predictable. */
export interface IdGenerator {
  newId(): string;
}

export const uuidGenerator: IdGenerator = { newId: () => randomUUID() };
