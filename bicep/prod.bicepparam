// Production. StandardV2 rather than Consumption so that APIM enforces the per-caller rate
// limit (rate-limit-by-key does not exist on Consumption), and rather than BasicV2 so that
// APIM reaches the Function App through a private endpoint and nothing else can (outbound VNet
// integration exists on Standard v2 only; main.bicep, privateBackend).
using './main.bicep'

param environmentName = 'prod'
param jwtIssuer = readEnvironmentVariable('API_JWT_ISSUER')
param jwtAudience = readEnvironmentVariable('API_JWT_AUDIENCE')
param jwtClientId = readEnvironmentVariable('API_CLIENT_ID')
param apimPublisherEmail = readEnvironmentVariable('APIM_PUBLISHER_EMAIL')
param alertEmail = readEnvironmentVariable('ALERT_EMAIL')
param apimSku = 'StandardV2'
// Unset in the pipeline arrives as '' (not absent), which main.bicep reads as '*'.
param corsAllowedOrigin = readEnvironmentVariable('API_CORS_ORIGIN', '')
param rateLimitCallsPerMinute = 120
param sagaInventoryTimeoutSeconds = 180
param sagaPaymentTimeoutSeconds = 180
param idempotencyTtlSeconds = 86400
param functionMaximumInstanceCount = 100
param keyVaultPurgeProtection = true
param logRetentionDays = 90
param paymentGatewayApiKey = readEnvironmentVariable('PAYMENT_GATEWAY_API_KEY', '')
param deployerPrincipalId = readEnvironmentVariable('DEPLOYER_PRINCIPAL_ID', '')
// Set by tools/deploy/functionKey.sh exists; absent (a first deployment) means false.
param functionKeySecretExists = bool(readEnvironmentVariable('FUNCTION_KEY_SECRET_EXISTS', 'false'))
