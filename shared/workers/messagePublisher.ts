import type { CloudEventAttributes } from "../contracts/messages/envelope";

/**
 * Puts a CloudEvents envelope on a queue or topic (messageId = envelope id, so a re-sent
 * envelope is dropped by duplicate detection). Implemented over the Service Bus sender by
 * the composition root.
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
