/**
 * The wire vocabulary shared with `durable-functions` 3.x: history event types, action
 * types and runtime statuses. The numbers mirror the package's own enums
 * (`lib/src/history/HistoryEventType.js`, `lib/src/actions/ActionType.js`), which it does not
 * export with types; `protocol.test.ts` checks that they still agree.
 */

export const HistoryEventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
} as const;
export type HistoryEventTypeValue = (typeof HistoryEventType)[keyof typeof HistoryEventType];

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/**
 * Replay schema the engine advertises. V1 makes the library flatten `Task.all`/`Task.any`
 * into one list per yield and keeps every timer a single `CreateTimer` action (no splitting
 * of long timers), which the engine fires at any distance.
 */
export const REPLAY_SCHEMA_V1 = 0;

export type RuntimeStatus =
  "Pending" | "Running" | "Completed" | "ContinuedAsNew" | "Failed" | "Terminated";

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ["Completed", "Failed", "Terminated"];

export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** One history event in the PascalCase shape the library reads. */
export interface HistoryEvent {
  EventType: HistoryEventTypeValue;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Input?: string | null;
  Result?: string | null;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  Reason?: string;
  Details?: string;
  FailureDetails?: FailureDetails;
  OrchestrationStatus?: string;
  /** Engine bookkeeping, ignored by the library: the retry chain's first sequence id. */
  RetryOf?: number;
  /** Engine bookkeeping: the retry options of a `...WithRetry` schedule. */
  Retry?: RetryPolicy;
  /** Engine bookkeeping: the inbox message this event came from (de-duplication). */
  Message?: string;
}

export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
}

/** `RetryOptions` of `durable-functions`, as it serialises into the action. */
export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** An action as the library serialises it in `OrchestratorState.actions`. */
export interface WireAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryPolicy;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  instanceId?: string;
  [other: string]: unknown;
}

/** `OrchestratorState` as the orchestrator handler returns it. */
export interface OrchestratorStateWire {
  isDone: boolean;
  actions: WireAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}
