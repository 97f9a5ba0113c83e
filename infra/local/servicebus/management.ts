import rhea, { type Message } from "rhea";
import type { Broker } from "./broker";
import { BrokerError, conditions } from "./brokerError";
import { encodeStoredMessage } from "./encodeMessage";
import { lockTokenToUuidBytes, uuidBytesToString } from "./lockToken";
import type { MessageStore } from "./messageStore";

// rhea hangs these on its container instance, which a named import does not reach.
const { message: amqpMessage, types } = rhea;

type Body = Record<string, unknown>;

/** AMQP longs arrive as numbers, or as 8-byte buffers when beyond 2^53. */
function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (Buffer.isBuffer(v) && v.length === 8) return Number(v.readBigInt64BE());
  if (typeof v === "bigint") return Number(v);
  throw new BrokerError(conditions.argumentError, `expected a number, got ${String(v)}`);
}

/** Elements of an AMQP array of longs are written from 8-byte big-endian buffers. */
function longBytes(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

function toArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  return [v];
}

function lockTokens(body: Body): string[] {
  return toArray(body["lock-tokens"]).map((t) =>
    Buffer.isBuffer(t) ? uuidBytesToString(t) : String(t),
  );
}

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
      const got = store.receiveDeferred(seqs, receiveAndDelete);
      return {
        messages: got.map(({ message, lockToken }) => {
          const entry: Body = {
            message: encodeStoredMessage(message, {
              lockedUntil: lockToken ? message.lockedUntil : undefined,
            }),
          };
          if (lockToken) entry["lock-token"] = types.wrap_uuid(lockTokenToUuidBytes(lockToken));
          return entry;
        }),
      };
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
      return { expiration: new Date(store.renewSessionLock(String(body["session-id"]))) };
    }
    case "com.microsoft:get-session-state": {
      const store = storeOf(broker, path);
      const state = store.getSessionState(String(body["session-id"]));
      return { "session-state": state ?? null };
    }
    case "com.microsoft:set-session-state": {
      const store = storeOf(broker, path);
      const state = body["session-state"];
      store.setSessionState(String(body["session-id"]), Buffer.isBuffer(state) ? state : undefined);
      return {};
    }
    default:
      throw new BrokerError(
        conditions.notImplemented,
        `The operation '${String(operation)}' is not supported by the local Service Bus emulator.`,
        501,
      );
  }
}
