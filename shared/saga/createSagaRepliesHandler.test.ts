import { recordingInvocation } from "../adapters/logging/testing/recordingInvocation";
import { InventoryReservedSchema } from "../contracts/messages/inventoryReserved";
import { aCommand } from "../workers/testing/workerTestbed";
import { createSagaRepliesHandler } from "./createSagaRepliesHandler";
import type { SagaInstances } from "./sagaInstances";

/** The Durable client's answer to a raise, fixed per test (the engine has its own tests). */
function instancesAnswering(outcome: "raised" | "finished" | "absent"): SagaInstances {
  return {
    state: () => Promise.resolve("running"),
    start: () => Promise.resolve("started"),
    raise: () => Promise.resolve(outcome),
  };
}

/** A clock that moves 4 ms per reading, so the line's duration is known. */
function tick(): () => Date {
  let ms = Date.parse("2026-01-01T00:00:00Z");
  return () => new Date((ms += 4));
}

const reply = (orderId: string) => aCommand(InventoryReservedSchema, { orderId });

describe("createSagaRepliesHandler", () => {
  it("writes the raised reply's step line to the invocation's log", async () => {
    const invocation = recordingInvocation("sagaReplies");
    await createSagaRepliesHandler({ now: tick() })(
      { ...reply("r-1"), log: invocation.log },
      instancesAnswering("raised"),
    );
    expect(invocation.steps()).toEqual([
      {
        level: "information",
        fields: {
          orderId: "r-1",
          correlationId: "corr-r-1",
          step: "Reply:InventoryReserved",
          outcome: "raised",
          durationMs: 4,
        },
      },
    ]);
  });

  it("warns, and completes, when the instance can no longer take the reply", async () => {
    const invocation = recordingInvocation("sagaReplies");
    await createSagaRepliesHandler({ now: tick() })(
      { ...reply("r-2"), log: invocation.log },
      instancesAnswering("finished"),
    );
    expect(invocation.steps()).toEqual([
      {
        level: "warning",
        fields: {
          orderId: "r-2",
          correlationId: "corr-r-2",
          step: "Reply:InventoryReserved",
          outcome: "Dropped:finished",
          durationMs: 4,
        },
      },
    ]);
  });
});
