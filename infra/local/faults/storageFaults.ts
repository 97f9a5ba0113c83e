/**
 * Storage (Azurite) unreachable for a while: the TCP proxies in front of its blob, queue and
 * table ports cut every open connection and then refuse new ones (ECONNREFUSED, as from a
 * host that is down) or reset each on arrival (ECONNRESET). `@azure/core-rest-pipeline`
 * retries both as transient system errors, with exponential back-off.
 */
import type { FaultLog } from "./faultLog";
import { FaultWindow } from "./faultWindow";
import type { OutageMode, TcpProxy } from "./tcpProxy";

export interface StorageOutage {
  readonly mode: OutageMode;
}

export interface StorageFaultCounts {
  readonly connectionsDropped: number;
  readonly connectionsResetOnArrival: number;
}

export class StorageFaults {
  readonly outage: FaultWindow<StorageOutage>;
  readonly #proxies: TcpProxy[] = [];

  constructor(log: FaultLog) {
    this.outage = new FaultWindow(
      log,
      "storage",
      "outage",
      (o) => (o.mode === "refuse" ? "connections refused" : "connections reset"),
      () => void Promise.all(this.#proxies.map((p) => p.endOutage())),
    );
  }

  attach(proxy: TcpProxy): void {
    this.#proxies.push(proxy);
  }

  /** Resolves once every port is unreachable (an outage already on takes the new mode). */
  async startOutage(outage: StorageOutage, forMs?: number): Promise<void> {
    await Promise.all(this.#proxies.map((p) => p.startOutage(outage.mode)));
    this.outage.set(outage, forMs);
  }

  counts(): StorageFaultCounts {
    const all = this.#proxies.map((p) => p.counts());
    return {
      connectionsDropped: all.reduce((n, c) => n + c.dropped, 0),
      connectionsResetOnArrival: all.reduce((n, c) => n + c.resetOnArrival, 0),
    };
  }
}
