/**
 * Faults of the Service Bus stand-in:
 *
 * - drop-connections: every client connection is cut at the TCP level (the client side
 *   reset), as when the service moves a namespace's gateway during an update. The SDK sees
 *   the connection fail, its links detach, and `@azure/core-amqp` opens a new connection on
 *   the next operation; a message received before the drop can no longer be settled on the
 *   new link (MessageLockLost) and comes back when its lock expires
 *   (learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-exceptions-latest).
 * - busy: sends are refused with `com.microsoft:server-busy` for a while (see the emulator's
 *   serverBusy hook).
 *
 * The drop acts on a {@link TcpProxy} in front of the emulator, so the emulator itself is
 * unchanged; its own view of a dropped connection is a client that went away.
 */
import type { FaultLog } from "./faultLog";
import { FaultRepeater } from "./faultRepeater";
import { FaultWindow } from "./faultWindow";
import type { TcpProxy } from "./tcpProxy";

export interface ServiceBusFaultCounts {
  /** AMQP connections opened through the proxy, the first ones and every reconnect. */
  readonly connectionsOpened: number;
  readonly connectionsDropped: number;
  /** Sends refused with com.microsoft:server-busy. */
  readonly sendsRefusedBusy: number;
}

export class ServiceBusFaults {
  readonly busy: FaultWindow<Record<string, never>>;
  readonly drops: FaultRepeater;
  #proxy: TcpProxy | undefined;
  #sendsRefusedBusy = 0;

  constructor(private readonly log: FaultLog) {
    this.busy = new FaultWindow(log, "servicebus", "busy", () => "sends refused: server-busy");
    this.drops = new FaultRepeater(() => this.#drop());
  }

  /** The proxy every client connection goes through. */
  attach(proxy: TcpProxy): void {
    this.#proxy = proxy;
  }

  /** The emulator's `serverBusy` hook. */
  readonly isBusy = (): boolean => {
    if (this.busy.get() === undefined) return false;
    this.#sendsRefusedBusy += 1;
    return true;
  };

  counts(): ServiceBusFaultCounts {
    const proxy = this.#proxy?.counts();
    return {
      connectionsOpened: proxy?.opened ?? 0,
      connectionsDropped: proxy?.dropped ?? 0,
      sendsRefusedBusy: this.#sendsRefusedBusy,
    };
  }

  clear(): void {
    this.busy.clear();
    this.stopDrops();
  }

  stopDrops(): void {
    if (!this.drops.scheduled) return;
    this.drops.stop();
    this.log.record({ target: "servicebus", fault: "drop-connections", phase: "end" });
  }

  #drop(): void {
    const dropped = this.#proxy?.dropAll() ?? 0;
    this.log.record({
      target: "servicebus",
      fault: "drop-connections",
      phase: "once",
      detail: `${dropped} connections dropped`,
    });
  }
}
