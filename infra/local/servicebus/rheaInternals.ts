import type { Socket } from "node:net";
import rhea, { type Connection, type Delivery, type Receiver, type Sender } from "rhea";

// rhea's helpers and link state that its typings leave out, in one place, each with why it is needed.

/** The parts of rhea's link objects its typings leave out. */
export interface LinkInternals {
  credit: number;
  local: { attach: Record<string, unknown> };

  remote: {
    attach?: {
      snd_settle_mode?: number;
      rcv_settle_mode?: number;
      source?: unknown;
      target?: unknown;
      properties?: unknown;
    };
  };
}
export const internals = (link: Sender | Receiver): LinkInternals =>
  link as unknown as LinkInternals;

/** Outcome builders rhea has but does not declare. */
export const outcomes = rhea.message as unknown as {
  accepted(): { described(): unknown };
  rejected(fields: { error: { condition: string; description: string } }): { described(): unknown };
};

/**
 * Lets rhea drop a delivery the broker has settled: the SDK does not settle its side after
 * the broker's settlement, and rhea frees a slot only when both sides have settled.
 */
export function forgetDelivery(d: Delivery): void {
  const x = d as unknown as { settled: boolean; remote_settled: boolean };
  x.settled = true;
  x.remote_settled = true;
}

/**
 * rhea answers a drain only while credit remains; the SDK waits for the drain flow even when
 * the last credit was used by a message, so the flow is always echoed with drain set.
 */
export function patchDrain(link: Sender): void {
  const l = link as unknown as {
    _draining: boolean;
    _drained: boolean;
    credit: number;
    delivery_count: number;
    _get_drain(): boolean;
  };
  l._get_drain = function (this: typeof l) {
    if (this._draining && this._drained) {
      this.delivery_count += this.credit;
      this.credit = 0;
      return true;
    }
    return false;
  };
}

/**
 * rhea opens a link as soon as the peer attaches; holding the attach (acceptNextSession with
 * no free session) means taking back that pending open until {@link Sender.open} is called.
 */
export function holdAttach(link: Sender): void {
  const state = (link as unknown as { state: { local_open: boolean; open_requests: number } })
    .state;
  state.local_open = false;
  state.open_requests = 0;
}

/** Takes an accepted socket into a rhea connection (`Connection.accept`, which the typings omit). */
export function acceptSocket(connection: Connection, socket: Socket): void {
  (connection as unknown as { accept(socket: Socket): void }).accept(socket);
}
