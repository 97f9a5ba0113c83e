import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseIsoDuration } from "./duration";
import { parseSqlAction } from "./sqlAction";
import { parseSqlFilter } from "./sqlFilter";

/**
 * The official Service Bus emulator's Config.json format (schema:
 * Azure/azure-service-bus-emulator-installer, ServiceBus-Emulator/Schema/Config-schema.json),
 * so one file configures this emulator and the official one. Unknown keys are kept, not
 * rejected, because the official file carries settings (Logging, ForwardDeadLetteredMessagesTo)
 * that have no meaning here.
 */
const isoDuration = z
  .string()
  .refine((s) => parseIsoDuration(s) !== undefined, { message: "expected ISO 8601 duration" });

export const entityNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-./]*[A-Za-z0-9]$/, {
    message: "expected an entity name (letters, digits, '.', '-', '_', '/')",
  });

export const queuePropertiesSchema = z.looseObject({
  DeadLetteringOnMessageExpiration: z.boolean().optional(),
  DefaultMessageTimeToLive: isoDuration.optional(),
  DuplicateDetectionHistoryTimeWindow: isoDuration.optional(),
  ForwardTo: z.string().optional(),
  ForwardDeadLetteredMessagesTo: z.string().optional(),
  LockDuration: isoDuration.optional(),
  MaxDeliveryCount: z.number().int().min(1).optional(),
  RequiresDuplicateDetection: z.boolean().optional(),
  RequiresSession: z.boolean().optional(),
});

const correlationFilter = z.looseObject({
  ContentType: z.string().optional(),
  CorrelationId: z.string().optional(),
  Label: z.string().optional(),
  Subject: z.string().optional(),
  MessageId: z.string().optional(),
  ReplyTo: z.string().optional(),
  ReplyToSessionId: z.string().optional(),
  SessionId: z.string().optional(),
  To: z.string().optional(),
  Properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const ruleSchema = z.looseObject({
  Name: entityNameSchema,
  Properties: z.looseObject({
    FilterType: z.enum(["Correlation", "Sql"]),
    CorrelationFilter: correlationFilter.optional(),
    SqlFilter: z.looseObject({ SqlExpression: z.string() }).optional(),
    Action: z.looseObject({ SqlExpression: z.string() }).optional(),
  }),
});

const queueSchema = z.looseObject({
  Name: entityNameSchema,
  Properties: queuePropertiesSchema.optional(),
});

export const subscriptionPropertiesSchema = queuePropertiesSchema.omit({
  RequiresDuplicateDetection: true,
});

const subscriptionSchema = z.looseObject({
  Name: entityNameSchema,
  Properties: subscriptionPropertiesSchema.optional(),
  Rules: z.array(ruleSchema).optional(),
});

export const topicPropertiesSchema = z.looseObject({
  DefaultMessageTimeToLive: isoDuration.optional(),
  DuplicateDetectionHistoryTimeWindow: isoDuration.optional(),
  RequiresDuplicateDetection: z.boolean().optional(),
});

const topicSchema = z.looseObject({
  Name: entityNameSchema,
  Properties: topicPropertiesSchema.optional(),
  Subscriptions: z.array(subscriptionSchema).optional(),
});

export const emulatorConfigSchema = z.looseObject({
  UserConfig: z.looseObject({
    Namespaces: z
      .array(
        z.looseObject({
          Name: z.string(),
          Queues: z.array(queueSchema).optional(),
          Topics: z.array(topicSchema).optional(),
        }),
      )
      .min(1),
  }),
});

export type EmulatorConfig = z.infer<typeof emulatorConfigSchema>;
export type QueueConfig = z.infer<typeof queueSchema>;
export type TopicConfig = z.infer<typeof topicSchema>;
export type SubscriptionConfig = z.infer<typeof subscriptionSchema>;
export type RuleConfig = z.infer<typeof ruleSchema>;
export type QueueProperties = z.infer<typeof queuePropertiesSchema>;
export type SubscriptionProperties = z.infer<typeof subscriptionPropertiesSchema>;
export type TopicProperties = z.infer<typeof topicPropertiesSchema>;

/** Raised when the topology file is unusable; the message names the offending entry. */
export class TopologyError extends Error {
  override name = "TopologyError";
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out.replace(/^UserConfig\./, "");
}

/**
 * Validates a parsed Config.json: the schema first, then what a schema cannot say (names
 * unique, ForwardTo pointing at an entity, SQL filters that parse).
 */
export function parseEmulatorConfig(json: unknown, source = "config"): EmulatorConfig {
  const result = emulatorConfigSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new TopologyError(`${source}: invalid topology\n  ${lines.join("\n  ")}`);
  }
  const config = result.data;
  const problems: string[] = [];
  config.UserConfig.Namespaces.forEach((ns, n) => {
    const names = new Map<string, string>();
    const claim = (name: string, where: string): void => {
      const key = name.toLowerCase();
      const previous = names.get(key);
      if (previous) problems.push(`${where}.Name: "${name}" is already used by ${previous}`);
      else names.set(key, where);
    };
    ns.Queues?.forEach((q, i) => claim(q.Name, `Namespaces[${n}].Queues[${i}]`));
    ns.Topics?.forEach((t, i) => {
      const where = `Namespaces[${n}].Topics[${i}]`;
      claim(t.Name, where);
      const subs = new Set<string>();
      t.Subscriptions?.forEach((s, j) => {
        const swhere = `${where}.Subscriptions[${j}]`;
        if (subs.has(s.Name.toLowerCase())) problems.push(`${swhere}.Name: "${s.Name}" repeated`);
        subs.add(s.Name.toLowerCase());
        s.Rules?.forEach((r, k) => {
          const rwhere = `${swhere}.Rules[${k}].Properties`;
          if (r.Properties.FilterType === "Sql") {
            const expr = r.Properties.SqlFilter?.SqlExpression;
            if (expr === undefined) problems.push(`${rwhere}.SqlFilter.SqlExpression: required`);
            else {
              try {
                parseSqlFilter(expr);
              } catch (e) {
                problems.push(`${rwhere}.SqlFilter.SqlExpression: ${(e as Error).message}`);
              }
            }
          } else if (r.Properties.CorrelationFilter === undefined) {
            problems.push(`${rwhere}.CorrelationFilter: required when FilterType is Correlation`);
          }
          const action = r.Properties.Action?.SqlExpression;
          if (action !== undefined) {
            try {
              parseSqlAction(action);
            } catch (e) {
              problems.push(`${rwhere}.Action.SqlExpression: ${(e as Error).message}`);
            }
          }
        });
      });
    });
    const forwards: [string, string | undefined][] = [];
    ns.Queues?.forEach((q, i) =>
      forwards.push([`Namespaces[${n}].Queues[${i}]`, q.Properties?.ForwardTo]),
    );
    ns.Topics?.forEach((t, i) =>
      t.Subscriptions?.forEach((s, j) =>
        forwards.push([
          `Namespaces[${n}].Topics[${i}].Subscriptions[${j}]`,
          s.Properties?.ForwardTo,
        ]),
      ),
    );
    for (const [where, target] of forwards) {
      if (target && !names.has(target.toLowerCase())) {
        problems.push(`${where}.Properties.ForwardTo: no queue or topic named "${target}"`);
      }
    }
  });
  if (problems.length > 0) {
    throw new TopologyError(`${source}: invalid topology\n  ${problems.join("\n  ")}`);
  }
  return config;
}

/** Reads and validates a Config.json file. */
export function loadEmulatorConfig(path: string): EmulatorConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new TopologyError(`${path}: cannot read topology: ${(e as Error).message}`);
  }
  return parseEmulatorConfig(json, path);
}
