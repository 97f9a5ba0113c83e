/**
 * An error the broker answers with an AMQP error condition. The conditions are the ones
 * Service Bus uses, so `@azure/core-amqp`'s translation gives the SDK's usual `code`
 * (com.microsoft:message-lock-lost -> MessageLockLost, amqp:not-found with "The messaging
 * entity ... could not be found" -> MessagingEntityNotFound, and so on).
 */
export class BrokerError extends Error {
  override name = "BrokerError";
  constructor(
    readonly condition: string,
    description: string,
    /** Status code for $management answers (the service's HTTP-like status). */
    readonly statusCode = 400,
  ) {
    super(description);
  }
}

export const conditions = {
  notFound: "amqp:not-found",
  lockLost: "com.microsoft:message-lock-lost",
  sessionLockLost: "com.microsoft:session-lock-lost",
  sessionCannotBeLocked: "com.microsoft:session-cannot-be-locked",
  messageNotFound: "com.microsoft:message-not-found",
  sizeExceeded: "amqp:link:message-size-exceeded",
  argumentError: "com.microsoft:argument-error",
  notImplemented: "amqp:not-implemented",
  timeout: "com.microsoft:timeout",
  notAllowed: "amqp:not-allowed",
  entityAlreadyExists: "com.microsoft:entity-already-exists",
} as const;

export function lockLost(): BrokerError {
  return new BrokerError(
    conditions.lockLost,
    "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.",
    410,
  );
}

export function entityNotFound(host: string, path: string): BrokerError {
  return new BrokerError(
    conditions.notFound,
    `The messaging entity 'sb://${host}/${path}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions.`,
    404,
  );
}
