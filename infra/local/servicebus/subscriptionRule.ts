import { BrokerError, conditions } from "./brokerError";
import type { RuleConfig } from "./config";
import { parseSqlAction } from "./sqlAction";
import { parseSqlFilter, type SqlValue } from "./sqlFilter";

/** Correlation filter fields, each compared for equality when set. */
export interface CorrelationFields {
  readonly correlationId?: string | undefined;
  readonly messageId?: string | undefined;
  readonly to?: string | undefined;
  readonly replyTo?: string | undefined;
  readonly subject?: string | undefined;
  readonly sessionId?: string | undefined;
  readonly replyToSessionId?: string | undefined;
  readonly contentType?: string | undefined;
  readonly properties?: Readonly<Record<string, unknown>> | undefined;
}

/** SQL parameters (`@name` in an expression), as the administration API sends them. */
export type SqlParameters = Readonly<Record<string, SqlValue>>;

export type RuleFilter =
  | { readonly kind: "sql"; readonly expression: string; readonly parameters?: SqlParameters }
  | ({ readonly kind: "correlation" } & CorrelationFields)
  | { readonly kind: "true" }
  | { readonly kind: "false" };

export interface RuleAction {
  readonly expression: string;
  readonly parameters?: SqlParameters;
}

/** One rule of a subscription: a filter, and optionally an action on the matching copy. */
export interface SubscriptionRule {
  readonly name: string;
  readonly filter: RuleFilter;
  readonly action: RuleAction | undefined;
  readonly createdAt: number;
}

/** The rule every subscription gets when none is given: all messages, no action. */
export const DEFAULT_RULE_NAME = "$Default";

export function defaultRule(createdAt: number): SubscriptionRule {
  return { name: DEFAULT_RULE_NAME, filter: { kind: "true" }, action: undefined, createdAt };
}

/**
 * Checks that the emulator can evaluate a rule before it is stored: a filter or an action it
 * cannot parse is refused (400, as the service refuses a bad expression), never evaluated
 * differently.
 */
export function validateRule(rule: SubscriptionRule): SubscriptionRule {
  try {
    if (rule.filter.kind === "sql") parseSqlFilter(rule.filter.expression);
    if (rule.action) parseSqlAction(rule.action.expression);
  } catch (e) {
    throw new BrokerError(
      conditions.argumentError,
      `Rule '${rule.name}': ${(e as Error).message}.`,
      400,
    );
  }
  return rule;
}

/** A topology rule (the official emulator's Config.json shape) as a subscription rule. */
export function ruleFromConfig(r: RuleConfig, createdAt: number): SubscriptionRule {
  const p = r.Properties;
  const action = p.Action?.SqlExpression;
  const common = { name: r.Name, action: action ? { expression: action } : undefined, createdAt };
  if (p.FilterType === "Sql") {
    return { ...common, filter: { kind: "sql", expression: p.SqlFilter?.SqlExpression ?? "1=1" } };
  }
  const c = p.CorrelationFilter ?? {};
  return {
    ...common,
    filter: {
      kind: "correlation",
      correlationId: c.CorrelationId,
      messageId: c.MessageId,
      to: c.To,
      replyTo: c.ReplyTo,
      subject: c.Label ?? c.Subject,
      sessionId: c.SessionId,
      replyToSessionId: c.ReplyToSessionId,
      contentType: c.ContentType,
      properties: c.Properties,
    },
  };
}
