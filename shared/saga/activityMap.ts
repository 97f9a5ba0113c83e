import type {
  SagaCommand,
  SagaFailureReason,
  SagaLifecycleEvent,
  SagaOrderStatus,
  SagaStepLog,
  SagaTrace,
} from "./sagaTypes";
import type { SAGA_ACTIVITIES } from "./names";

export interface SendCommandInput {
  readonly command: SagaCommand;
  /** 1 for the first send; a re-sent compensation gets a new message id per attempt. */
  readonly attempt: number;
  readonly trace: SagaTrace;
  /** Orchestration time of the send, so the envelope's `time` is the same on every retry. */
  readonly at: string;
  readonly step?: SagaStepLog;
}
export interface SendCommandOutput {
  readonly messageId: string;
}

export interface UpdateOrderStatusInput {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: SagaOrderStatus;
  readonly failureReason: SagaFailureReason | null;
  /** Orchestration time; the timeline entry is identical however often the activity runs. */
  readonly at: string;
  readonly trace: SagaTrace;
  readonly step: SagaStepLog;
  /**
   * The next step's commands, sent (first attempt's ids) once the order has the status, in
   * the same activity: one Durable episode fewer per step, and the order the write read is
   * where AuthorizePayment's card token comes from. Not sent when the move was refused
   * because the Order API moved the order to Cancelling, the one case where the saga turns
   * back; a retried write sends them again under the same ids, which duplicate detection
   * drops.
   */
  readonly then?: readonly SagaCommand[];
}
export interface UpdateOrderStatusOutput {
  /** False when the order already had this status (a retry) or the move was refused. */
  readonly applied: boolean;
  /** The order's status after the call: the Order API may have moved it to Cancelling. */
  readonly status: SagaOrderStatus;
  readonly failureReason: SagaFailureReason | null;
}

/**
 * Whether the saga goes on after a status write: unless the write was refused because the
 * Order API moved the order to Cancelling (a cancel was accepted), the one case where the
 * saga turns back. The activity sends the write's `then` commands by the same rule.
 */
export function sagaGoesOn(result: Pick<UpdateOrderStatusOutput, "applied" | "status">): boolean {
  return result.applied || result.status !== "Cancelling";
}

export interface PublishEventInput {
  readonly event: SagaLifecycleEvent;
  /** Orchestration time; with the deterministic id, a retried publish is the same message. */
  readonly at: string;
  readonly trace: SagaTrace;
}
export interface PublishEventOutput {
  readonly messageId: string;
}

/** Activity name → input and output, so a call can neither pass nor get the wrong shape. */
export interface SagaActivityMap {
  [SAGA_ACTIVITIES.sendCommand]: { input: SendCommandInput; output: SendCommandOutput };
  [SAGA_ACTIVITIES.updateOrderStatus]: {
    input: UpdateOrderStatusInput;
    output: UpdateOrderStatusOutput;
  };
  [SAGA_ACTIVITIES.publishEvent]: { input: PublishEventInput; output: PublishEventOutput };
}
export type SagaActivityInput<K extends keyof SagaActivityMap> = SagaActivityMap[K]["input"];
export type SagaActivityOutput<K extends keyof SagaActivityMap> = SagaActivityMap[K]["output"];

/**
 * Deterministic message id: the order, the command (the template, for emails) and the
 * attempt. Service Bus duplicate detection drops a re-sent id, so an activity retried after
 * a send whose acknowledgement was lost puts nothing twice on the queue.
 */
export function commandMessageId(command: SagaCommand, attempt: number): string {
  const what =
    command.type === "SendNotification" ? `${command.type}:${command.data.template}` : command.type;
  const base = `${command.data.orderId}:${what}`;
  return attempt <= 1 ? base : `${base}:${attempt}`;
}

/** Deterministic lifecycle event id: one event of each type per order. */
export function lifecycleEventId(event: SagaLifecycleEvent): string {
  return `${event.data.orderId}:${event.type}`;
}
