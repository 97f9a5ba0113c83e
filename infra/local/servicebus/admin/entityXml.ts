import type { Broker } from "../broker";
import { TIMESPAN_MAX, formatIsoDuration } from "../duration";
import type { QueueEntity, SubscriptionEntity, TopicEntity } from "../entityModel";
import type { RuleFilter, SqlParameters, SubscriptionRule } from "../subscriptionRule";
import { description, el, escapeXml, isoTime } from "./atomXml";
import { NO_COUNTS, addCounts, runtimeCounts, type RuntimeCounts } from "./runtimeCounts";

/**
 * Entity descriptions as the service writes them inside an ATOM entry, element for element
 * in its order, with runtime counts (CountDetails in the 2011/06 namespace, which the SDK
 * reads with whatever prefix is declared). Properties the emulator does not act on
 * (MaxSizeInMegabytes, EnableBatchedOperations, UserMetadata, ...) are reported as they were
 * sent, or with the service's defaults.
 */

const COUNT_NS = "http://schemas.microsoft.com/netservices/2011/06/servicebus";
const XSD = "http://www.w3.org/2001/XMLSchema";

type Props = Readonly<Record<string, unknown>>;

/** A property as the XML writes it (properties hold strings, numbers and booleans). */
function optional(p: Props, key: string): string | undefined {
  const v = p[key];
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean"
    ? String(v) || undefined
    : undefined;
}

function text(p: Props, key: string, fallback: string): string {
  return optional(p, key) ?? fallback;
}

function countDetails(c: RuntimeCounts): string {
  const d = (name: string, n: number): string => `<d2p1:${name}>${n}</d2p1:${name}>`;
  return (
    `<CountDetails xmlns:d2p1="${COUNT_NS}">` +
    d("ActiveMessageCount", c.active) +
    d("DeadLetterMessageCount", c.deadLetter) +
    d("ScheduledMessageCount", c.scheduled) +
    // Forwarding is immediate here: nothing ever waits in a transfer queue.
    d("TransferMessageCount", 0) +
    d("TransferDeadLetterMessageCount", 0) +
    `</CountDetails>`
  );
}

/** Absolute form of a ForwardTo target, as the service reports it. */
function forwardUrl(host: string, target: string | undefined): string | undefined {
  return target ? `sb://${host}/${target}` : undefined;
}

function times(e: { createdAt: number; updatedAt: number }): string {
  // AccessedAt: the emulator does not track reads; it reports the last change.
  return (
    el("CreatedAt", isoTime(e.createdAt)) +
    el("UpdatedAt", isoTime(e.updatedAt)) +
    el("AccessedAt", isoTime(e.updatedAt))
  );
}

/** What a queue's or subscription's description is written from. */
function parts(e: QueueEntity | SubscriptionEntity) {
  return { p: e.properties as Props, c: runtimeCounts(e.store), o: e.store.options };
}

export function queueXml(q: QueueEntity, host: string): string {
  const { p, c, o } = parts(q);
  return description(
    "QueueDescription",
    el("LockDuration", text(p, "LockDuration", formatIsoDuration(o.lockDurationMs))) +
      el("MaxSizeInMegabytes", text(p, "MaxSizeInMegabytes", "1024")) +
      el("RequiresDuplicateDetection", q.duplicates !== undefined) +
      el("RequiresSession", o.requiresSession) +
      el("DefaultMessageTimeToLive", text(p, "DefaultMessageTimeToLive", TIMESPAN_MAX)) +
      el("DeadLetteringOnMessageExpiration", o.deadLetterOnExpiration) +
      el(
        "DuplicateDetectionHistoryTimeWindow",
        text(
          p,
          "DuplicateDetectionHistoryTimeWindow",
          formatIsoDuration(q.duplicates?.windowMs ?? 600_000),
        ),
      ) +
      el("MaxDeliveryCount", o.maxDeliveryCount) +
      el("EnableBatchedOperations", text(p, "EnableBatchedOperations", "true")) +
      el("SizeInBytes", c.sizeInBytes) +
      el("MessageCount", c.active + c.deadLetter + c.scheduled) +
      el("IsAnonymousAccessible", false) +
      "<AuthorizationRules/>" +
      el("Status", text(p, "Status", "Active")) +
      el("ForwardTo", forwardUrl(host, o.forwardTo)) +
      times(q) +
      el("SupportOrdering", true) +
      countDetails(c) +
      el("AutoDeleteOnIdle", text(p, "AutoDeleteOnIdle", TIMESPAN_MAX)) +
      el("EnablePartitioning", text(p, "EnablePartitioning", "false")) +
      el("EntityAvailabilityStatus", "Available") +
      el("EnableExpress", text(p, "EnableExpress", "false")) +
      el("ForwardDeadLetteredMessagesTo", optional(p, "ForwardDeadLetteredMessagesTo")) +
      el("UserMetadata", optional(p, "UserMetadata")) +
      el("MaxMessageSizeInKilobytes", text(p, "MaxMessageSizeInKilobytes", "256")),
  );
}

export function topicXml(t: TopicEntity): string {
  const p = t.properties as Props;
  let c = NO_COUNTS;
  for (const s of t.subscriptions.values()) c = addCounts(c, runtimeCounts(s.store));
  const now = Date.now();
  const scheduled = [...t.scheduled.values()].filter((e) => e.at > now).length;
  const sql = [...t.subscriptions.values()]
    .flatMap((s) => s.rules)
    .filter((r) => r.filter.kind !== "correlation");
  const correlation = [...t.subscriptions.values()].flatMap((s) => s.rules).length - sql.length;
  return description(
    "TopicDescription",
    el("DefaultMessageTimeToLive", text(p, "DefaultMessageTimeToLive", TIMESPAN_MAX)) +
      el("MaxSizeInMegabytes", text(p, "MaxSizeInMegabytes", "1024")) +
      el("RequiresDuplicateDetection", t.duplicates !== undefined) +
      el(
        "DuplicateDetectionHistoryTimeWindow",
        text(
          p,
          "DuplicateDetectionHistoryTimeWindow",
          formatIsoDuration(t.duplicates?.windowMs ?? 600_000),
        ),
      ) +
      el("EnableBatchedOperations", text(p, "EnableBatchedOperations", "true")) +
      el("SizeInBytes", c.sizeInBytes) +
      el("FilteringMessagesBeforePublishing", false) +
      el("IsAnonymousAccessible", false) +
      "<AuthorizationRules/>" +
      el("Status", text(p, "Status", "Active")) +
      times(t) +
      el("SupportOrdering", text(p, "SupportOrdering", "true")) +
      countDetails({ ...NO_COUNTS, scheduled }) +
      el("SubscriptionCount", t.subscriptions.size) +
      el("AutoDeleteOnIdle", text(p, "AutoDeleteOnIdle", TIMESPAN_MAX)) +
      el("EnablePartitioning", text(p, "EnablePartitioning", "false")) +
      el("EntityAvailabilityStatus", "Available") +
      el("EnableSubscriptionPartitioning", false) +
      el("EnableExpress", text(p, "EnableExpress", "false")) +
      el("UserMetadata", optional(p, "UserMetadata")) +
      el("MaxMessageSizeInKilobytes", text(p, "MaxMessageSizeInKilobytes", "256")) +
      el("SqlFilterCount", sql.length) +
      el("CorrelationFilterCount", correlation),
  );
}

export function subscriptionXml(s: SubscriptionEntity, host: string): string {
  const { p, c, o } = parts(s);
  return description(
    "SubscriptionDescription",
    el("LockDuration", text(p, "LockDuration", formatIsoDuration(o.lockDurationMs))) +
      el("RequiresSession", o.requiresSession) +
      el("DefaultMessageTimeToLive", text(p, "DefaultMessageTimeToLive", TIMESPAN_MAX)) +
      el("DeadLetteringOnMessageExpiration", o.deadLetterOnExpiration) +
      el(
        "DeadLetteringOnFilterEvaluationExceptions",
        text(p, "DeadLetteringOnFilterEvaluationExceptions", "true"),
      ) +
      el("MessageCount", c.active + c.deadLetter + c.scheduled) +
      el("MaxDeliveryCount", o.maxDeliveryCount) +
      el("EnableBatchedOperations", text(p, "EnableBatchedOperations", "true")) +
      el("Status", text(p, "Status", "Active")) +
      el("ForwardTo", forwardUrl(host, o.forwardTo)) +
      times(s) +
      countDetails(c) +
      el("UserMetadata", optional(p, "UserMetadata")) +
      el("ForwardDeadLetteredMessagesTo", optional(p, "ForwardDeadLetteredMessagesTo")) +
      el("AutoDeleteOnIdle", text(p, "AutoDeleteOnIdle", TIMESPAN_MAX)) +
      el("EntityAvailabilityStatus", "Available"),
  );
}

/** `<Key>..</Key><Value i:type="d6p1:string">..</Value>` pairs, the DataContract form. */
function keyValues(element: string, values: Readonly<Record<string, unknown>> | undefined): string {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return "";
  const pair = ([key, v]: [string, unknown]): string => {
    const [type, value] =
      typeof v === "number"
        ? ["double", String(v)]
        : typeof v === "boolean"
          ? ["boolean", String(v)]
          : v instanceof Date
            ? ["dateTime", v.toISOString()]
            : ["string", String(v)];
    return (
      `<KeyValueOfstringanyType><Key>${escapeXml(key)}</Key>` +
      `<Value i:type="d6p1:${type}" xmlns:d6p1="${XSD}">${escapeXml(value)}</Value></KeyValueOfstringanyType>`
    );
  };
  return `<${element}>${entries.map(pair).join("")}</${element}>`;
}

function filterXml(f: RuleFilter): string {
  const sql = (type: string, expression: string, parameters?: SqlParameters): string =>
    `<Filter i:type="${type}">${el("SqlExpression", expression)}${keyValues("Parameters", parameters)}<CompatibilityLevel>20</CompatibilityLevel></Filter>`;
  switch (f.kind) {
    case "true":
      return sql("TrueFilter", "1=1");
    case "false":
      return sql("FalseFilter", "1=0");
    case "sql":
      return sql("SqlFilter", f.expression, f.parameters);
    case "correlation":
      return (
        `<Filter i:type="CorrelationFilter">` +
        el("CorrelationId", f.correlationId) +
        el("MessageId", f.messageId) +
        el("To", f.to) +
        el("ReplyTo", f.replyTo) +
        el("Label", f.subject) +
        el("SessionId", f.sessionId) +
        el("ReplyToSessionId", f.replyToSessionId) +
        el("ContentType", f.contentType) +
        keyValues("Properties", f.properties) +
        `</Filter>`
      );
  }
}

export function ruleXml(r: SubscriptionRule): string {
  const action = r.action
    ? `<Action i:type="SqlRuleAction">${el("SqlExpression", r.action.expression)}${keyValues("Parameters", r.action.parameters)}<CompatibilityLevel>20</CompatibilityLevel></Action>`
    : `<Action i:type="EmptyRuleAction"/>`;
  return description(
    "RuleDescription",
    filterXml(r.filter) + action + el("CreatedAt", isoTime(r.createdAt)) + el("Name", r.name),
  );
}

export function namespaceXml(broker: Broker): string {
  return description(
    "NamespaceInfo",
    el("CreatedTime", isoTime(broker.createdAt)) +
      // The emulator keeps Standard's limits (256 KB messages, topics).
      el("MessagingSKU", "Standard") +
      el("ModifiedTime", isoTime(broker.createdAt)) +
      el("Name", broker.namespace) +
      el("NamespaceType", "Messaging"),
  );
}
