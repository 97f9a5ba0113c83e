/**
 * Sub-orchestrations: a child instance is started after the parent's episode that called it
 * committed, and its end (completed, failed, terminated) is answered into the parent's inbox
 * under the task's answer key, so a repeated start or answer is harmless.
 */
import { createOrRestart, type EngineParts } from "./engineParts";
import {
  subOrchestrationInstanceCompleted,
  subOrchestrationInstanceFailed,
  type FailureRecord,
} from "./historyEvents";
import type { HistoryEvent } from "./protocol";
import { isTerminal } from "./protocol";
import type { InstanceRecord } from "./taskHubStore";
import type { SubOrchestrationWork } from "./turnPlan";

export class SubOrchestrations {
  constructor(private readonly parts: EngineParts) {}

  /**
   * Starts the child the parent called, unless it already runs for that call (then it is
   * scheduled, or its end answered again). An id taken by another running instance fails
   * the call, as Durable does.
   */
  async start(parent: InstanceRecord, work: SubOrchestrationWork): Promise<void> {
    const { mirror } = this.parts;
    const existing = await mirror.readRecord(work.instanceId);
    const ours =
      existing &&
      existing.parentInstanceId === parent.instanceId &&
      existing.parentTaskId === work.id &&
      existing.parentExecutionId === parent.executionId;
    if (ours) {
      if (isTerminal(existing.runtimeStatus)) await this.notifyParent(existing);
      else await this.parts.deliver(work.instanceId);
      return;
    }
    if (existing && !isTerminal(existing.runtimeStatus)) {
      const message = `An instance with id '${work.instanceId}' is already running.`;
      const failure = {
        reason: message,
        details: "",
        failureDetails: { ErrorType: "InvalidOperation", ErrorMessage: message },
      };
      await this.answer(parent.instanceId, parent.executionId, this.failed(work.id, failure));
      return;
    }
    const created = await createOrRestart(this.parts, existing, {
      instanceId: work.instanceId,
      name: work.name,
      input: work.input,
      parentInstanceId: parent.instanceId,
      parentTaskId: work.id,
      parentExecutionId: parent.executionId,
    });
    if (created) await this.parts.deliver(work.instanceId);
  }

  /** Answers a finished child's parent, if it has one. */
  async notifyParent(child: InstanceRecord): Promise<void> {
    if (!child.parentInstanceId || child.parentTaskId < 0) return;
    const event =
      child.runtimeStatus === "Completed"
        ? subOrchestrationInstanceCompleted(this.stampNow(), child.parentTaskId, child.output)
        : this.failed(child.parentTaskId, childFailure(child));
    await this.answer(child.parentInstanceId, child.parentExecutionId, event);
  }

  private failed(taskId: number, failure: FailureRecord): HistoryEvent {
    return subOrchestrationInstanceFailed(this.stampNow(), taskId, failure);
  }

  private async answer(parentId: string, executionId: number, event: HistoryEvent): Promise<void> {
    await this.parts.mirror.putInbox(parentId, [this.parts.messages.answer(executionId, event)]);
    await this.parts.deliver(parentId);
  }

  private stampNow(): string {
    return this.parts.clock().toISOString();
  }
}

/** How a child that did not complete failed, as its parent sees it. */
function childFailure(child: InstanceRecord): FailureRecord {
  // A failed child's output is its message, a terminated one's the reason (JSON strings).
  const output = JSON.parse(child.output) as string | null;
  return {
    reason: `Sub-orchestration '${child.name}' (instance '${child.instanceId}') ${child.runtimeStatus.toLowerCase()}`,
    details: String(output ?? ""),
    failureDetails: {
      ErrorType: "SubOrchestrationFailed",
      ErrorMessage: String(output ?? child.runtimeStatus),
    },
  };
}
