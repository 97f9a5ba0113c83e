/** Reads a named secret; the payment gateway's API key comes through here. */
export interface SecretProvider {
  getSecret(name: string, options?: GetSecretOptions): Promise<string>;
}

export interface GetSecretOptions {
  readonly abortSignal?: AbortSignal;
}

/** A secret that does not exist (or is empty): a configuration fault, not a transient one. */
export class SecretNotFoundError extends Error {
  readonly code = "SecretNotFound" as const;
  constructor(readonly secretName: string) {
    super(`secret ${secretName} is not configured`);
    this.name = "SecretNotFoundError";
  }
}
