import type { CloudEventAttributes } from "../contracts/messages/envelope";

/**
 * Puts a CloudEvents envelope on a queue or topic (messageId = envelope id, so a re-sent
 * envelope is dropped by duplicate detection). The Order API, the saga and the participants
 * all publish through it; `ServiceBusPublisher` (adapters/servicebus) implements it.
 */
export interface MessagePublisher {
  publish(
    destination: string,
    envelope: CloudEventAttributes & { data: unknown },
    options?: PublishOptions,
  ): Promise<void>;
}

export interface PublishOptions {
  readonly abortSignal?: AbortSignal;
}
