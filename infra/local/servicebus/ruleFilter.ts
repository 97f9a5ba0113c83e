import type { Message } from "rhea";
import { parseSqlAction } from "./sqlAction";
import { parseSqlFilter, type PropertyLookup, type SqlValue } from "./sqlFilter";
import type { RuleFilter, SqlParameters, SubscriptionRule } from "./subscriptionRule";

/** The copies of a published message one subscription receives (none, one, or one per action). */
export type MessageRouter = (message: Message) => Message[];

/** System properties by their lower-cased SQL name (`sys.Label`, `sys.MessageId`, ...). */
const SYSTEM_PROPERTIES: Record<string, (m: Message) => unknown> = {
  messageid: (m) => m.message_id,
  correlationid: (m) => m.correlation_id,
  to: (m) => m.to,
  replyto: (m) => m.reply_to,
  label: (m) => m.subject,
  subject: (m) => m.subject,
  contenttype: (m) => m.content_type,
  sessionid: (m) => m.group_id,
  replytosessionid: (m) => m.reply_to_group_id,
};

function toSqlValue(v: unknown): SqlValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
    return v;
  }
  if (v instanceof Date) return v.getTime();
  if (Buffer.isBuffer(v)) return v.toString("hex");
  if (typeof v === "bigint") return Number(v);
  return null;
}

/** The lookup a SQL filter or action sees for one message; `@name` reads a parameter. */
export function messageLookup(message: Message, parameters?: SqlParameters): PropertyLookup {
  return (scope, name) => {
    if (scope === "sys") {
      const get = SYSTEM_PROPERTIES[name.toLowerCase()];
      return get ? toSqlValue(get(message)) : undefined;
    }
    if (parameters && name.startsWith("@") && Object.hasOwn(parameters, name)) {
      return parameters[name];
    }
    const props = message.application_properties as Record<string, unknown> | undefined;
    return props && Object.hasOwn(props, name) ? toSqlValue(props[name]) : undefined;
  };
}

function sameValue(expected: unknown, actual: unknown): boolean {
  const a = toSqlValue(actual);
  if (a === undefined || a === null) return false;
  return a === toSqlValue(expected) || String(a) === String(toSqlValue(expected));
}

/** Compiles one filter to a predicate on the message. */
export function compileFilter(filter: RuleFilter): (m: Message) => boolean {
  switch (filter.kind) {
    case "true":
      return () => true;
    case "false":
      return () => false;
    case "sql": {
      const predicate = parseSqlFilter(filter.expression);
      return (m) => predicate(messageLookup(m, filter.parameters));
    }
    case "correlation": {
      const checks: ((m: Message) => boolean)[] = [];
      const field = (expected: string | undefined, get: (m: Message) => unknown): void => {
        if (expected !== undefined) checks.push((m) => sameValue(expected, get(m)));
      };
      field(filter.contentType, (m) => m.content_type);
      field(filter.correlationId, (m) => m.correlation_id);
      field(filter.subject, (m) => m.subject);
      field(filter.messageId, (m) => m.message_id);
      field(filter.replyTo, (m) => m.reply_to);
      field(filter.replyToSessionId, (m) => m.reply_to_group_id);
      field(filter.sessionId, (m) => m.group_id);
      field(filter.to, (m) => m.to);
      for (const [name, expected] of Object.entries(filter.properties ?? {})) {
        checks.push((m) => {
          const props = m.application_properties as Record<string, unknown> | undefined;
          return props !== undefined && sameValue(expected, props[name]);
        });
      }
      return (m) => checks.every((check) => check(m));
    }
  }
}

/**
 * A subscription's rules as a router. As on the service, rules without an action are ORed
 * and give one copy; each matching rule with an action gives a copy of its own, with the
 * action applied and the application property RuleName naming the rule
 * (learn.microsoft.com/azure/service-bus-messaging/topic-filters).
 */
export function compileRules(rules: readonly SubscriptionRule[]): MessageRouter {
  const plain = rules.filter((r) => !r.action).map((r) => compileFilter(r.filter));
  const acting = rules.flatMap((r) =>
    r.action
      ? [
          {
            name: r.name,
            matches: compileFilter(r.filter),
            apply: parseSqlAction(r.action.expression),
            parameters: r.action.parameters,
          },
        ]
      : [],
  );
  if (acting.length === 0) return (m) => (plain.some((f) => f(m)) ? [m] : []);
  return (m) => {
    const out = plain.some((f) => f(m)) ? [m] : [];
    for (const a of acting) {
      if (!a.matches(m)) continue;
      const copy = a.apply(m, messageLookup(m, a.parameters));
      copy.application_properties = { ...copy.application_properties, RuleName: a.name };
      out.push(copy);
    }
    return out;
  };
}
