import rhea, { type Message } from "rhea";
import type { Broker } from "./broker";
import { BrokerError, conditions } from "./brokerError";
import { encodeStoredMessage } from "./encodeMessage";
import { lockTokenToUuidBytes } from "./lockToken";
import type { MessageStore } from "./messageStore";
import { addRule, enumerateRules, removeRule } from "./ruleManagement";
import { longBytes, lockTokens, toArray, toNumber, type Body } from "./amqpValues";

// rhea hangs these on its container instance, which a named import does not reach.
const { message: amqpMessage, types } = rhea;

function storeOf(broker: Broker, path: string): MessageStore {
  const a = broker.resolve(path);
  if (a.kind === "topic") {
    throw new BrokerError(
      conditions.notAllowed,
      `'${path}' is a topic; the operation needs a queue or subscription.`,
    );
  }
  return a.store;
}

function sessionIdOf(body: Body): string | undefined {
  const v = body["session-id"];
  return typeof v === "string" ? v : undefined;
}

/** .NET's DateTime.MaxValue: the Java and .NET clients send it to list sessions with messages. */
const DATETIME_MAX = Date.UTC(9999, 11, 31);

/**
 * com.microsoft:get-message-sessions. Given DateTime.MaxValue as last-updated-time (what the
 * Java and .NET clients send for "all"), the sessions that hold active messages; given an
 * earlier time (the JavaScript SDK sends three days ago), the sessions that got a message or
 * had their state set since then. A page of `top` after `skip`; undefined (204) past the end.
 */
function listSessions(store: MessageStore, body: Body): Body | undefined {
  const at: unknown = body["last-updated-time"];
  const since = at instanceof Date ? at.getTime() : DATETIME_MAX;
  const ids = new Set<string>();
  for (const m of store.messages()) {
    if (m.sessionId === undefined || m.state === "scheduled") continue;
    if (since >= DATETIME_MAX || m.enqueuedAt > since) ids.add(m.sessionId);
  }
  if (since < DATETIME_MAX) for (const id of store.sessions.stateUpdatedAfter(since)) ids.add(id);
  const skip = toNumber(body.skip ?? 0);
  const page = [...ids].sort().slice(skip, skip + toNumber(body.top ?? ids.size));
  if (page.length === 0) return undefined;
  return {
    skip: types.wrap_int(skip + page.length),
    "sessions-ids": types.wrap_array(page, 0xb1, undefined),
  };
}

/**
 * Answers one $management request the way the service does; returns the response body, or
 * undefined for 204 (nothing found). Throws BrokerError for error answers.
 * Operation names and map keys: @azure/service-bus ManagementClient and core-amqp Constants.
 */
export function handleManagementRequest(broker: Broker, path: string, request: Message): unknown {
  const operation = (request.application_properties as Body | undefined)?.operation;
  const body = (request.body ?? {}) as Body;
  switch (operation) {
    case "com.microsoft:renew-lock": {
      const store = storeOf(broker, path);
      return { expirations: lockTokens(body).map((t) => new Date(store.renewLock(t))) };
    }
    case "com.microsoft:peek-message": {
      const store = storeOf(broker, path);
      const from = toNumber(body["from-sequence-number"] ?? 1);
      const count = toNumber(body["message-count"] ?? 1);
      const found = store.peek(from, count, sessionIdOf(body));
      if (found.length === 0) return undefined;
      return {
        messages: found.map((m) => ({
          message: encodeStoredMessage(m, {
            lockedUntil: m.state === "locked" ? m.lockedUntil : undefined,
          }),
        })),
      };
    }
    case "com.microsoft:schedule-message": {
      const entries = toArray(body.messages) as Body[];
      const seqs: number[] = [];
      for (const entry of entries) {
        const m = amqpMessage.decode(entry.message as Buffer) as unknown as Message;
        const at: unknown = m.message_annotations?.["x-opt-scheduled-enqueue-time"];
        const when = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.now();
        const got = broker.send(path, m, when);
        seqs.push(got[0] ?? 0);
      }
      return {
        "sequence-numbers": types.wrap_array(seqs.map(longBytes), 0x81, undefined),
      };
    }
    case "com.microsoft:cancel-scheduled-message": {
      broker.cancelScheduled(path, toArray(body["sequence-numbers"]).map(toNumber));
      return {};
    }
    case "com.microsoft:receive-by-sequence-number": {
      const store = storeOf(broker, path);
      const receiveAndDelete = toNumber(body["receiver-settle-mode"] ?? 1) === 0;
      const seqs = toArray(body["sequence-numbers"]).map(toNumber);
      const messages: Body[] = [];
      // Written as each message is handed out, so it carries the delivery count of that moment.
      store.receiveDeferred(seqs, receiveAndDelete, (m, lockToken) => {
        const entry: Body = {
          message: encodeStoredMessage(m, { lockedUntil: lockToken ? m.lockedUntil : undefined }),
        };
        if (lockToken) entry["lock-token"] = types.wrap_uuid(lockTokenToUuidBytes(lockToken));
        messages.push(entry);
      });
      return { messages };
    }
    case "com.microsoft:update-disposition": {
      const store = storeOf(broker, path);
      const status = body["disposition-status"];
      const props = (body["properties-to-modify"] ?? undefined) as Body | undefined;
      for (const token of lockTokens(body)) {
        if (status === "completed") store.complete(token);
        else if (status === "abandoned") store.abandon(token, props);
        else if (status === "defered") store.defer(token, props);
        else if (status === "suspended") {
          store.deadLetterByToken(
            token,
            body["deadletter-reason"] as string | undefined,
            body["deadletter-description"] as string | undefined,
            props,
          );
        } else
          throw new BrokerError(
            conditions.argumentError,
            `unknown disposition-status ${String(status)}`,
          );
      }
      return {};
    }
    case "com.microsoft:renew-session-lock": {
      const store = storeOf(broker, path);
      return { expiration: new Date(store.sessions.renew(String(body["session-id"]))) };
    }
    case "com.microsoft:get-session-state": {
      const store = storeOf(broker, path);
      const state = store.sessions.state(String(body["session-id"]));
      return { "session-state": state ?? null };
    }
    case "com.microsoft:set-session-state": {
      const store = storeOf(broker, path);
      const state = body["session-state"];
      store.sessions.setState(
        String(body["session-id"]),
        Buffer.isBuffer(state) ? state : undefined,
      );
      return {};
    }
    case "com.microsoft:get-message-sessions":
      return listSessions(storeOf(broker, path), body);
    case "com.microsoft:add-rule":
      return addRule(broker, path, body);
    case "com.microsoft:remove-rule":
      return removeRule(broker, path, body);
    case "com.microsoft:enumerate-rules":
      return enumerateRules(broker, path, body);
    default:
      throw new BrokerError(
        conditions.notImplemented,
        `The operation '${String(operation)}' is not supported by the local Service Bus emulator.`,
        501,
      );
  }
}
