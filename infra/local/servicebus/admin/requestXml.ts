import { XMLParser } from "fast-xml-parser";
import { BrokerError, conditions } from "../brokerError";
import { TIMESPAN_MAX } from "../duration";
import type { SqlValue } from "../sqlFilter";
import type { RuleFilter, SqlParameters, SubscriptionRule } from "../subscriptionRule";

/** What a PUT carries inside <content>: which description, and its fields. */
export interface DescriptionBody {
  readonly kind:
    "QueueDescription" | "TopicDescription" | "SubscriptionDescription" | "RuleDescription";
  readonly fields: Record<string, unknown>;
}

const KINDS = [
  "QueueDescription",
  "TopicDescription",
  "SubscriptionDescription",
  "RuleDescription",
] as const;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === "KeyValueOfstringanyType",
});

function badRequest(message: string): BrokerError {
  return new BrokerError(conditions.argumentError, message, 400);
}

/** The description inside an ATOM <entry>; 400 when the body is not one. */
export function parseDescription(xml: string): DescriptionBody {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (e) {
    throw badRequest(`The request body is not valid XML: ${(e as Error).message}`);
  }
  const content = ((doc.entry as Record<string, unknown> | undefined)?.content ?? {}) as Record<
    string,
    unknown
  >;
  for (const kind of KINDS) {
    const fields = content[kind];
    if (fields !== undefined)
      return {
        kind,
        fields: typeof fields === "object" && fields ? (fields as Record<string, unknown>) : {},
      };
  }
  throw badRequest("The request body is not an ATOM entry holding an entity description.");
}

const BOOLEAN = new Set([
  "RequiresDuplicateDetection",
  "RequiresSession",
  "DeadLetteringOnMessageExpiration",
  "DeadLetteringOnFilterEvaluationExceptions",
  "EnableBatchedOperations",
  "EnablePartitioning",
  "EnableExpress",
  "SupportOrdering",
]);
const INTEGER = new Set(["MaxDeliveryCount", "MaxSizeInMegabytes", "MaxMessageSizeInKilobytes"]);
/** Reported by the service, never set by a client: left out of what is stored. */
const READ_ONLY = new Set([
  "EntityAvailabilityStatus",
  "AuthorizationRules",
  "DefaultRuleDescription",
]);

/** The service's defaults for what a create leaves out (the SDK omits unset options). */
const SERVICE_DEFAULTS: Record<DescriptionBody["kind"], Record<string, unknown>> = {
  QueueDescription: {
    LockDuration: "PT1M",
    MaxDeliveryCount: 10,
    DefaultMessageTimeToLive: TIMESPAN_MAX,
    DuplicateDetectionHistoryTimeWindow: "PT10M",
  },
  TopicDescription: {
    DefaultMessageTimeToLive: TIMESPAN_MAX,
    DuplicateDetectionHistoryTimeWindow: "PT10M",
  },
  SubscriptionDescription: {
    LockDuration: "PT1M",
    MaxDeliveryCount: 10,
    DefaultMessageTimeToLive: TIMESPAN_MAX,
  },
  RuleDescription: {},
};

/**
 * Entity properties from a description, typed the way the topology file types them
 * (booleans, integers, ISO durations as text), over the service's defaults.
 */
export function entityProperties(body: DescriptionBody): Record<string, unknown> {
  const out: Record<string, unknown> = { ...SERVICE_DEFAULTS[body.kind] };
  for (const [key, raw] of Object.entries(body.fields)) {
    if (key.startsWith("@") || READ_ONLY.has(key) || typeof raw !== "string") continue;
    if (BOOLEAN.has(key)) {
      if (raw !== "true" && raw !== "false") throw badRequest(`${key}: expected true or false.`);
      out[key] = raw === "true";
    } else if (INTEGER.has(key)) {
      if (!/^\d+$/.test(raw)) throw badRequest(`${key}: expected a whole number.`);
      out[key] = Number(raw);
    } else if (raw !== "") {
      out[key] = raw;
    }
  }
  return out;
}

/** Text of a parsed node: attribute-free elements parse to strings, others keep "#text". */
function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** The i:type of a node without its namespace prefix (`l28:double` -> `double`). */
function typeOf(node: Record<string, unknown>): string {
  const t = textOf(node["@type"]);
  return t.slice(t.indexOf(":") + 1);
}

/** DataContract key/value pairs (`<KeyValueOfstringanyType>`) to a record. */
function keyValues(node: unknown): Record<string, SqlValue> | undefined {
  const pairs = (node as { KeyValueOfstringanyType?: unknown[] } | undefined)
    ?.KeyValueOfstringanyType;
  if (!pairs) return undefined;
  const out: Record<string, SqlValue> = {};
  for (const pair of pairs as { Key?: string; Value?: Record<string, unknown> | string }[]) {
    const value = pair.Value;
    const raw = typeof value === "object" ? textOf(value["#text"]) : textOf(value);
    const type = typeof value === "object" ? typeOf(value) : "string";
    out[String(pair.Key)] =
      type === "double" || type === "int" || type === "long"
        ? Number(raw)
        : type === "boolean"
          ? raw === "true"
          : type === "dateTime"
            ? new Date(raw).getTime()
            : raw;
  }
  return out;
}

function str(node: Record<string, unknown>, key: string): string | undefined {
  const v = node[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function filterOf(node: Record<string, unknown> | undefined): RuleFilter {
  if (!node) return { kind: "true" };
  const type = typeOf(node);
  if (type === "TrueFilter") return { kind: "true" };
  if (type === "FalseFilter") return { kind: "false" };
  if (type === "CorrelationFilter") {
    const properties = keyValues(node.Properties);
    return {
      kind: "correlation",
      correlationId: str(node, "CorrelationId"),
      messageId: str(node, "MessageId"),
      to: str(node, "To"),
      replyTo: str(node, "ReplyTo"),
      subject: str(node, "Label"),
      sessionId: str(node, "SessionId"),
      replyToSessionId: str(node, "ReplyToSessionId"),
      contentType: str(node, "ContentType"),
      ...(properties ? { properties } : {}),
    };
  }
  const parameters: SqlParameters | undefined = keyValues(node.Parameters);
  return {
    kind: "sql",
    expression: str(node, "SqlExpression") ?? "1=1",
    ...(parameters ? { parameters } : {}),
  };
}

/** A rule from a RuleDescription (or a subscription's DefaultRuleDescription). */
export function ruleOf(
  fields: Record<string, unknown>,
  name: string,
  createdAt: number,
): SubscriptionRule {
  const action = fields.Action as Record<string, unknown> | undefined;
  const expression =
    action && typeOf(action) === "SqlRuleAction" ? str(action, "SqlExpression") : undefined;
  const parameters = action ? keyValues(action.Parameters) : undefined;
  return {
    name: str(fields, "Name") ?? name,
    filter: filterOf(fields.Filter as Record<string, unknown> | undefined),
    action: expression ? { expression, ...(parameters ? { parameters } : {}) } : undefined,
    createdAt,
  };
}
