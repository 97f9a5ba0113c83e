/**
 * The emulator's ServerBusy hook: while `busy()` answers true, every message a client sends is
 * refused with the AMQP error condition `com.microsoft:server-busy`, as a throttled namespace
 * refuses it ("The request was terminated because the namespace … is being throttled. Error
 * code : 50009. Please wait 2 seconds and try again."). `@azure/core-amqp` translates the
 * condition to ServerBusyError, which is retryable, so the SDK's sender retries it under its
 * retry options. Copies the broker forwards internally are not refused.
 */
import type { Message } from "rhea";
import type { Broker } from "./broker";
import { BrokerError } from "./brokerError";

export const SERVER_BUSY = "com.microsoft:server-busy";

export function refuseSendsWhileBusy(broker: Broker, busy: () => boolean): void {
  const send = broker.send.bind(broker);
  broker.send = (path: string, message: Message, scheduledAt?: number, hops = 0): number[] => {
    if (hops === 0 && busy()) {
      throw new BrokerError(
        SERVER_BUSY,
        `The request was terminated because the entity '${path}' is being throttled. Error code : 50009. Please wait 2 seconds and try again.`,
        503,
      );
    }
    return send(path, message, scheduledAt, hops);
  };
}
