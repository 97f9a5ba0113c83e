import type { EmulatorConfig } from "../config";

type QueueProps = NonNullable<
  NonNullable<EmulatorConfig["UserConfig"]["Namespaces"][number]["Queues"]>[number]["Properties"]
>;

/**
 * Every test entity starts from these. Locks are long enough that a loaded machine does not
 * lose them mid-test; tests of lock expiry set a short LockDuration on their own entity.
 */
export const FAST_QUEUE: QueueProps = {
  LockDuration: "PT30S",
  MaxDeliveryCount: 3,
  DeadLetteringOnMessageExpiration: true,
  RequiresDuplicateDetection: false,
  RequiresSession: false,
};

export interface TestTopology {
  queues?: Record<string, Partial<QueueProps>>;
  topics?: Record<
    string,
    {
      properties?: Record<string, unknown>;
      subscriptions: Record<
        string,
        {
          properties?: Partial<QueueProps>;
          rules?: { name: string; sql?: string; correlation?: Record<string, unknown> }[];
        }
      >;
    }
  >;
}

/** Builds an official-format Config.json for a test's own entities. */
export function testTopology(t: TestTopology): EmulatorConfig {
  return {
    UserConfig: {
      Namespaces: [
        {
          Name: "sbemulatorns",
          Queues: Object.entries(t.queues ?? {}).map(([Name, p]) => ({
            Name,
            Properties: { ...FAST_QUEUE, ...p },
          })),
          Topics: Object.entries(t.topics ?? {}).map(([Name, topic]) => ({
            Name,
            Properties: topic.properties ?? {},
            Subscriptions: Object.entries(topic.subscriptions).map(([sub, s]) => ({
              Name: sub,
              Properties: { ...FAST_QUEUE, ...s.properties },
              Rules: (s.rules ?? []).map((r) =>
                r.sql !== undefined
                  ? {
                      Name: r.name,
                      Properties: {
                        FilterType: "Sql" as const,
                        SqlFilter: { SqlExpression: r.sql },
                      },
                    }
                  : {
                      Name: r.name,
                      Properties: {
                        FilterType: "Correlation" as const,
                        CorrelationFilter: r.correlation ?? {},
                      },
                    },
              ),
            })),
          })),
        },
      ],
    },
  };
}

/** Polls a condition until it holds (tests wait on conditions, never on fixed sleeps). */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
