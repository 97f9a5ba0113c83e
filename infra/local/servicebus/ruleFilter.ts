import type { Message } from "rhea";
import type { RuleConfig } from "./config";
import { parseSqlFilter, type PropertyLookup, type SqlValue } from "./sqlFilter";

/** Decides whether a message published to a topic is copied into one subscription. */
export type MessageFilter = (message: Message) => boolean;

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

/** The lookup a SQL filter sees for one message. */
export function messageLookup(message: Message): PropertyLookup {
  return (scope, name) => {
    if (scope === "sys") {
      const get = SYSTEM_PROPERTIES[name.toLowerCase()];
      return get ? toSqlValue(get(message)) : undefined;
    }
    const props = message.application_properties as Record<string, unknown> | undefined;
    return props && Object.prototype.hasOwnProperty.call(props, name)
      ? toSqlValue(props[name])
      : undefined;
  };
}

function sameValue(expected: unknown, actual: unknown): boolean {
  const a = toSqlValue(actual);
  if (a === undefined || a === null) return false;
  return a === expected || String(a) === String(expected);
}

/** Compiles one rule of the topology; a subscription without rules takes everything ($Default 1=1). */
export function compileRule(rule: RuleConfig): MessageFilter {
  const p = rule.Properties;
  if (p.FilterType === "Sql") {
    const predicate = parseSqlFilter(p.SqlFilter?.SqlExpression ?? "1=1");
    return (m) => predicate(messageLookup(m));
  }
  const c = p.CorrelationFilter ?? {};
  const checks: MessageFilter[] = [];
  const field = (expected: string | undefined, get: (m: Message) => unknown): void => {
    if (expected !== undefined) checks.push((m) => sameValue(expected, get(m)));
  };
  field(c.ContentType, (m) => m.content_type);
  field(c.CorrelationId, (m) => m.correlation_id);
  field(c.Label ?? c.Subject, (m) => m.subject);
  field(c.MessageId, (m) => m.message_id);
  field(c.ReplyTo, (m) => m.reply_to);
  field(c.ReplyToSessionId, (m) => m.reply_to_group_id);
  field(c.SessionId, (m) => m.group_id);
  field(c.To, (m) => m.to);
  for (const [name, expected] of Object.entries(c.Properties ?? {})) {
    checks.push((m) => {
      const props = m.application_properties as Record<string, unknown> | undefined;
      return props !== undefined && sameValue(expected, props[name]);
    });
  }
  return (m) => checks.every((check) => check(m));
}

/** A subscription's filter: true when any rule matches (Service Bus ORs a subscription's rules). */
export function compileRules(rules: readonly RuleConfig[] | undefined): MessageFilter {
  if (!rules || rules.length === 0) return () => true;
  const filters = rules.map(compileRule);
  return (m) => filters.some((f) => f(m));
}
