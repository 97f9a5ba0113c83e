import type { ServiceBusClient, ServiceBusSender } from "@azure/service-bus";
import { toServiceBusMessage } from "../../contracts/messages/serviceBusMessage";
import type { CloudEventAttributes } from "../../contracts/messages/envelope";
import type { MessagePublisher, PublishOptions } from "../../ports/messagePublisher";
import { withSendSpan } from "../../telemetry/sendSpan";

/**
 * Publishes CloudEvents envelopes over one ServiceBusClient, with one sender per queue or
 * topic, created on first use and reused (a sender is an AMQP link; opening one per
 * message would cost a round trip each time). `close()` closes every sender; the client
 * belongs to the composition root, which closes it after.
 */
export class ServiceBusPublisher implements MessagePublisher {
  private readonly senders = new Map<string, ServiceBusSender>();
  /** Messages handed to Service Bus, for the bench's per-order figures. */
  sentCount = 0;

  constructor(private readonly client: ServiceBusClient) {}

  async publish(
    destination: string,
    envelope: CloudEventAttributes & { data: unknown },
    options: PublishOptions = {},
  ): Promise<void> {
    const sender = this.senderFor(destination);
    // The message carries the send span's traceparent, in the body and in the properties.
    await withSendSpan(destination, envelope, (traceparent) =>
      sender.sendMessages(
        toServiceBusMessage(traceparent === undefined ? envelope : { ...envelope, traceparent }),
        options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
      ),
    );
    this.sentCount += 1;
  }

  /** Health check: opening (or reusing) the entity's link proves the namespace answers. */
  async probe(destination: string, abortSignal: AbortSignal): Promise<void> {
    await this.senderFor(destination).createMessageBatch({ abortSignal });
  }

  async close(): Promise<void> {
    const senders = [...this.senders.values()];
    this.senders.clear();
    await Promise.allSettled(senders.map((sender) => sender.close()));
  }

  private senderFor(destination: string): ServiceBusSender {
    let sender = this.senders.get(destination);
    if (sender === undefined || sender.isClosed) {
      sender = this.client.createSender(destination);
      this.senders.set(destination, sender);
    }
    return sender;
  }
}
