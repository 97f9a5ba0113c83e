import type {
  LifecycleEventType,
  SagaCommand,
  SagaFailureReason,
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
}
export interface UpdateOrderStatusOutput {
  /** False when the order already had this status (a retry) or the move was refused. */
  readonly applied: boolean;
  /** The order's status after the call: the Order API may have moved it to Cancelling. */
  readonly status: SagaOrderStatus;
  readonly failureReason: SagaFailureReason | null;
}

export interface PublishEventInput {
  readonly type: LifecycleEventType;
  readonly orderId: string;
  readonly customerId: string;
  readonly status: SagaOrderStatus;
  readonly failureReason: SagaFailureReason | null;
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

/** Deterministic message id: the order, the command and the attempt (Service Bus dedupes on it). */
export function commandMessageId(orderId: string, type: string, attempt: number): string {
  return attempt <= 1 ? `${orderId}:${type}` : `${orderId}:${type}:${attempt}`;
}
