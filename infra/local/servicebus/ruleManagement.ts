import rhea from "rhea";
import { BrokerError, conditions } from "./brokerError";
import type { Broker } from "./broker";
import { optionalString, requiredString, toNumber, type Body } from "./amqpValues";
import type { CorrelationFields, RuleFilter, SubscriptionRule } from "./subscriptionRule";

// rhea hangs these on its container instance, which a named import does not reach.
const { types } = rhea;

/**
 * Described-type codes of com.microsoft:enumerate-rules answers
 * (learn.microsoft.com/azure/service-bus-messaging/service-bus-amqp-request-response, "Get
 * Rules"; the same numbers as @azure/core-amqp's Constants.descriptorCodes).
 */
const DESCRIPTOR = {
  ruleDescription: 0x0000013700000004,
  sqlFilter: 0x0000001370000006,
  trueFilter: 0x0000001370000007,
  falseFilter: 0x0000001370000008,
  correlationFilter: 0x0000001370000009,
  emptyAction: 0x0000013700000005,
  sqlAction: 0x0000013700000006,
} as const;

/** Correlation filter keys of an add-rule request, in the order enumerate-rules lists them. */
const CORRELATION_KEYS = [
  ["correlation-id", "correlationId"],
  ["message-id", "messageId"],
  ["to", "to"],
  ["reply-to", "replyTo"],
  ["label", "subject"],
  ["session-id", "sessionId"],
  ["reply-to-session-id", "replyToSessionId"],
  ["content-type", "contentType"],
] as const;

/** The subscription a $management link is attached to (`topic/Subscriptions/name`). */
function subscriptionOf(broker: Broker, path: string): { topic: string; name: string } {
  const a = broker.resolve(path);
  if (a.kind !== "subscription") {
    throw new BrokerError(
      conditions.notAllowed,
      `'${path}' is not a subscription; rules belong to subscriptions.`,
      400,
    );
  }
  return { topic: a.entity.name, name: a.subscription.name };
}

function filterOf(description: Body): RuleFilter {
  const sql = description["sql-filter"] as Body | null | undefined;
  if (sql) return { kind: "sql", expression: requiredString(sql, "expression") };
  const c = description["correlation-filter"] as Body | null | undefined;
  if (!c) {
    throw new BrokerError(
      conditions.argumentError,
      "rule-description needs a sql-filter or a correlation-filter.",
      400,
    );
  }
  const fields: Record<string, unknown> = {};
  for (const [wire, name] of CORRELATION_KEYS) fields[name] = optionalString(c, wire);
  const properties = c.properties as Record<string, unknown> | null | undefined;
  return {
    kind: "correlation",
    ...(fields as CorrelationFields),
    ...(properties ? { properties } : {}),
  };
}

/** com.microsoft:add-rule: the rule from the request, refused (409) when the name is taken. */
export function addRule(broker: Broker, path: string, body: Body): Body {
  const { topic, name } = subscriptionOf(broker, path);
  const description = (body["rule-description"] ?? {}) as Body;
  const action = (description["sql-rule-action"] ?? undefined) as Body | undefined;
  const rule: SubscriptionRule = {
    name: requiredString(body, "rule-name"),
    filter: filterOf(description),
    action: action ? { expression: requiredString(action, "expression") } : undefined,
    createdAt: Date.now(),
  };
  broker.entities.addRule(topic, name, rule);
  return {};
}

export function removeRule(broker: Broker, path: string, body: Body): Body {
  const { topic, name } = subscriptionOf(broker, path);
  broker.entities.removeRule(topic, name, requiredString(body, "rule-name"));
  return {};
}

function str(v: string | undefined): unknown {
  return v === undefined ? null : types.wrap_string(v);
}

function encodeFilter(filter: RuleFilter): unknown {
  switch (filter.kind) {
    case "true":
      return types.wrap_described([], DESCRIPTOR.trueFilter);
    case "false":
      return types.wrap_described([], DESCRIPTOR.falseFilter);
    case "sql":
      return types.wrap_described([types.wrap_string(filter.expression)], DESCRIPTOR.sqlFilter);
    case "correlation":
      return types.wrap_described(
        [
          ...CORRELATION_KEYS.map(([, key]) => str(filter[key])),
          types.wrap_map({ ...(filter.properties ?? {}) }),
        ],
        DESCRIPTOR.correlationFilter,
      );
  }
}

/** com.microsoft:enumerate-rules: a page of rule descriptions; undefined (204) past the end. */
export function enumerateRules(broker: Broker, path: string, body: Body): Body | undefined {
  const { topic, name } = subscriptionOf(broker, path);
  const skip = toNumber(body.skip ?? 0);
  const top = toNumber(body.top ?? Number.MAX_SAFE_INTEGER);
  const page = broker.entities.subscription(topic, name)?.rules.slice(skip, skip + top) ?? [];
  if (page.length === 0) return undefined;
  return {
    rules: page.map((r) => ({
      "rule-description": types.wrap_described(
        [
          encodeFilter(r.filter),
          r.action
            ? types.wrap_described([types.wrap_string(r.action.expression)], DESCRIPTOR.sqlAction)
            : types.wrap_described([], DESCRIPTOR.emptyAction),
          types.wrap_string(r.name),
          new Date(r.createdAt),
        ],
        DESCRIPTOR.ruleDescription,
      ),
    })),
  };
}
