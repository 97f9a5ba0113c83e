import type { StoredMessage } from "./storedMessage";

/** A receiving link as the store sees it. */
export interface Consumer {
  readonly receiveAndDelete: boolean;
  /** How many more messages the link may take now. */
  credit(): number;
  deliver(message: StoredMessage, lockToken: string | undefined): void;
  /** The session lock ran out; the consumer detaches with session-lock-lost. */
  sessionLost?(): void;
}
