import type { SagaInput } from "./sagaTypes";

/** Where a saga instance is, as far as its starter and its reply relay care. */
export type SagaInstanceState = "absent" | "running" | "finished";

/**
 * The Durable client as the saga's Service Bus handlers use it: instance id = order id.
 * Implemented over `durable-functions`' DurableClient in {@link createDurableSagaInstances}.
 */
export interface SagaInstances {
  state(orderId: string): Promise<SagaInstanceState>;
  /** Starts the saga; "exists" when an instance with this id was already there. */
  start(orderId: string, input: SagaInput): Promise<"started" | "exists">;
  /** Raises an event; "finished"/"absent" when no running instance can take it. */
  raise(
    orderId: string,
    eventName: string,
    data: unknown,
  ): Promise<"raised" | "finished" | "absent">;
}
