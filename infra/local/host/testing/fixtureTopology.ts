/** Service Bus topology (official emulator Config.json format) the fixture app's functions use. */
import type { EmulatorConfig } from "../../servicebus";

const queue = (
  name: string,
  maxDeliveryCount: number,
  lockDuration = "PT30S",
  requiresSession = false,
) => ({
  Name: name,
  Properties: {
    DeadLetteringOnMessageExpiration: true,
    DefaultMessageTimeToLive: "PT1H",
    LockDuration: lockDuration,
    MaxDeliveryCount: maxDeliveryCount,
    RequiresDuplicateDetection: false,
    RequiresSession: requiresSession,
  },
});

export const FIXTURE_MAX_DELIVERY_COUNT = 3;
/** Short, so a handler that outlives it shows whether the host renews the lock. */
export const FIXTURE_WORK_LOCK_DURATION = "PT2S";

export const FIXTURE_TOPOLOGY = {
  UserConfig: {
    Namespaces: [
      {
        Name: "sbemulatorns",
        Queues: [
          queue("fixture-work", FIXTURE_MAX_DELIVERY_COUNT, FIXTURE_WORK_LOCK_DURATION),
          queue("fixture-out", 10),
          queue("fixture-sessions", 10, "PT30S", true),
          queue("fixture-batch", 10),
        ],
        Topics: [
          {
            Name: "fixture-events",
            Properties: { DefaultMessageTimeToLive: "PT1H", RequiresDuplicateDetection: false },
            Subscriptions: [
              {
                Name: "fixture-sub",
                Properties: {
                  DeadLetteringOnMessageExpiration: true,
                  DefaultMessageTimeToLive: "PT1H",
                  LockDuration: "PT30S",
                  MaxDeliveryCount: 10,
                  RequiresSession: false,
                },
              },
            ],
          },
        ],
      },
    ],
    Logging: { Type: "File" },
  },
} as unknown as EmulatorConfig;
