import rhea, { type Sender } from "rhea";
import { conditions } from "./brokerError";
import type { LinkConsumer } from "./linkConsumer";
import type { MessageStore } from "./messageStore";
import { holdAttach, internals } from "./rheaInternals";

// rhea hangs these on its container instance, which a named import does not reach.
const { types } = rhea;

export const SESSION_FILTER = "com.microsoft:session-filter";
const LOCKED_UNTIL = "com.microsoft:locked-until-utc";
/**
 * An acceptNextSession attach waits for a session up to the client's com.microsoft:timeout
 * link property (the SDK sets it a little below its own timeout, so the broker answers
 * first), and at most 65 s, the service's limit.
 */
const NEXT_SESSION_MAX_WAIT_MS = 65_000;
const TIMEOUT_PROPERTY = "com.microsoft:timeout";

/** Pre-.NET-epoch ticks, as the service writes com.microsoft:locked-until-utc. */
function toTicks(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(ms) * 10000n + 621355968000000000n);
  return b;
}

function completeSessionAttach(
  link: Sender,
  store: MessageStore,
  consumer: LinkConsumer,
  address: string,
  sessionId: string,
): void {
  link.set_source({ address, filter: { [SESSION_FILTER]: sessionId } });
  internals(link).local.attach.properties = {
    [LOCKED_UNTIL]: types.wrap_long(toTicks(store.sessions.ownedBy(consumer)?.lockedUntil ?? 0)),
  };
  store.addConsumer(consumer);
  setImmediate(() => store.pump());
}

/**
 * A receiver attached to a session entity: acceptSession names the session in the source
 * filter; acceptNextSession leaves it out and the attach is held until a session has a
 * message, or answered with com.microsoft:timeout, as the service does. The SDK recognises a
 * refused session by an attach without its session id.
 */
export function attachSessionReceiver(
  link: Sender,
  store: MessageStore,
  consumer: LinkConsumer,
  address: string,
  filter: Record<string, unknown>,
): void {
  const wanted = filter[SESSION_FILTER];
  const requested = typeof wanted === "string" ? wanted : undefined;
  let sessionId: string | undefined;
  try {
    sessionId = store.sessions.acquire(consumer, requested)?.id;
  } catch (e) {
    link.set_source({ address });
    throw e;
  }
  if (sessionId !== undefined) {
    completeSessionAttach(link, store, consumer, address, sessionId);
    return;
  }
  holdAttach(link);
  const li = internals(link);
  const requestedWait = (li.remote.attach?.properties as Record<string, unknown> | undefined)?.[
    TIMEOUT_PROPERTY
  ];
  const nextSessionWait = Math.min(
    NEXT_SESSION_MAX_WAIT_MS,
    typeof requestedWait === "number" && requestedWait > 0 ? requestedWait : Infinity,
  );
  const timer = setTimeout(() => {
    cancel();
    // The client may have given up and detached already; then there is nobody to answer.
    if (!link.is_remote_open() || link.connection.is_closed()) return;
    link.set_source({ address });
    link.open();
    link.close({
      condition: conditions.timeout,
      description: "No unlocked sessions were available within the timeout.",
    });
  }, nextSessionWait);
  timer.unref();
  const cancel = store.sessions.waitFor((id) => {
    if (!link.is_remote_open() || link.connection.is_closed()) {
      cancel();
      clearTimeout(timer);
      return false;
    }
    const got = store.sessions.acquire(consumer, id)?.id;
    if (got === undefined) return false;
    cancel();
    clearTimeout(timer);
    completeSessionAttach(link, store, consumer, address, got);
    link.open();
    return true;
  });
}
