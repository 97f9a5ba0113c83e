export type { GetSecretOptions, SecretProvider } from "./secretProvider";
export { SecretNotFoundError } from "./secretProvider";
export { createSecretProvider, DEFAULT_SECRET_REFRESH_IN_MS } from "./createSecretProvider";
export type { SecretProviderConfig, SecretProviderDeps } from "./createSecretProvider";
export { createCachedSecretProvider } from "./cachedSecretProvider";
export { createSettingsSecretProvider } from "./settingsSecretProvider";
