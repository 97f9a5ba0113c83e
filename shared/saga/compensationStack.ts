import type { SagaReplyType } from "./names";
import type { SagaCommand } from "./sagaTypes";

/**
 * Undo steps of the saga, newest first. An undo is registered before its step's command is
 * sent, because a command whose reply timed out may still take effect later; every undo is
 * idempotent at the participant, so undoing a step that never happened is a no-op.
 * Each undo has a slot (`inventory`, `payment`): re-registering a slot replaces its undo in
 * place (authorization void → capture refund) instead of undoing the same step twice.
 */
export interface CompensationStep {
  readonly slot: string;
  readonly command: SagaCommand;
  /** Any of these replies means the undo is done. */
  readonly replies: readonly SagaReplyType[];
  readonly timeoutSeconds: number;
}

export class CompensationStack {
  private steps: CompensationStep[] = [];

  push(step: CompensationStep): void {
    const existing = this.steps.findIndex((s) => s.slot === step.slot);
    if (existing >= 0) {
      this.steps[existing] = step;
      return;
    }
    this.steps.unshift(step);
  }

  /** The stack as it is now, for `restore` when a registered undo turns out not needed. */
  snapshot(): readonly CompensationStep[] {
    return [...this.steps];
  }

  /** Back to a snapshot: for an undo whose command was, for certain, never sent. */
  restore(snapshot: readonly CompensationStep[]): void {
    this.steps = [...snapshot];
  }

  /** The undos in the order they must run: the newest step's undo first. */
  inRunOrder(): readonly CompensationStep[] {
    return [...this.steps];
  }

  get size(): number {
    return this.steps.length;
  }
}
