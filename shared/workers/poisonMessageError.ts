/**
 * A message that can never be handled (it fails its schema, or names an address the email
 * service refuses). The local host dead-letters it at once with `deadLetterReason` /
 * `deadLetterErrorDescription`; Azure's Node.js worker cannot settle a message, so there it is
 * abandoned until MaxDeliveryCount dead-letters it (docs/messages.md, "Validation and
 * dead-lettering"). Every other error is rethrown so the trigger abandons the message and
 * Service Bus redelivers it.
 */
export class PoisonMessageError extends Error {
  readonly code = "PoisonMessage" as const;
  constructor(
    /** Short, stable reason (e.g. `InvalidMessage`, `RecipientRejected`). */
    readonly deadLetterReason: string,
    /** Human-readable detail: the schema issues, the service's answer. */
    readonly deadLetterErrorDescription: string,
  ) {
    super(`${deadLetterReason}: ${deadLetterErrorDescription}`);
    this.name = "PoisonMessageError";
  }
}

export function isPoisonMessageError(error: unknown): error is PoisonMessageError {
  return (
    error instanceof PoisonMessageError ||
    (error instanceof Error && error.name === "PoisonMessageError" && "deadLetterReason" in error)
  );
}
