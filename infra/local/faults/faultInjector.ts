/**
 * Every fault the stand-ins can inject, off until asked for, and what each one has done so
 * far. The control server drives it; the stand-ins wire its parts in front of themselves.
 */
import { CosmosFaults, type CosmosFaultCounts } from "./cosmosFaults";
import { FaultLog, type FaultEvent } from "./faultLog";
import { HostFaults, type HostControl, type HostFaultCounts } from "./hostFaults";
import { ServiceBusFaults, type ServiceBusFaultCounts } from "./serviceBusFaults";
import { StorageFaults, type StorageFaultCounts } from "./storageFaults";

export interface FaultCounts {
  readonly cosmos: CosmosFaultCounts;
  readonly servicebus: ServiceBusFaultCounts;
  readonly storage: StorageFaultCounts;
  readonly host: HostFaultCounts;
}

/** What `GET /faults` answers. */
export interface FaultSnapshot {
  readonly active: {
    readonly cosmos: Record<string, unknown>;
    readonly servicebus: { readonly busy: boolean; readonly dropsScheduled: boolean };
    readonly storage: { readonly outage?: unknown };
    readonly host: { readonly available: boolean; readonly killsScheduled: boolean };
  };
  readonly counts: FaultCounts;
  readonly events: readonly FaultEvent[];
}

export interface FaultInjectorOptions {
  readonly hostControl?: HostControl;
  /** Decides which requests a share-based fault hits; Math.random by default. */
  readonly random?: () => number;
}

export class FaultInjector {
  readonly log = new FaultLog();
  readonly cosmos: CosmosFaults;
  readonly serviceBus: ServiceBusFaults;
  readonly storage: StorageFaults;
  readonly host: HostFaults;

  constructor(options: FaultInjectorOptions = {}) {
    this.cosmos = new CosmosFaults(this.log, options.random);
    this.serviceBus = new ServiceBusFaults(this.log);
    this.storage = new StorageFaults(this.log);
    this.host = new HostFaults(this.log, options.hostControl);
  }

  snapshot(): FaultSnapshot {
    const cosmos: Record<string, unknown> = {};
    const throttle = this.cosmos.throttle.get();
    const unavailable = this.cosmos.unavailable.get();
    const delay = this.cosmos.delay.get();
    if (throttle) cosmos.throttle = throttle;
    if (unavailable) cosmos.unavailable = unavailable;
    if (delay) cosmos.delay = delay;
    const outage = this.storage.outage.get();
    return {
      active: {
        cosmos,
        servicebus: {
          busy: this.serviceBus.busy.get() !== undefined,
          dropsScheduled: this.serviceBus.drops.scheduled,
        },
        storage: outage ? { outage } : {},
        host: { available: this.host.available, killsScheduled: this.host.kills.scheduled },
      },
      counts: {
        cosmos: this.cosmos.counts(),
        servicebus: this.serviceBus.counts(),
        storage: this.storage.counts(),
        host: this.host.counts(),
      },
      events: this.log.events(),
    };
  }

  /** Switches every fault off (schedules included); counts and events stay. */
  clear(): void {
    this.cosmos.clear();
    this.serviceBus.clear();
    this.storage.outage.clear();
    this.host.clear();
  }
}
