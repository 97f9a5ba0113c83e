// Development environment. Values that differ per tenant come from the environment, so
// the pipeline (repository variables) and a person at a shell use the same file.
using './main.bicep'

param environmentName = 'dev'
param jwtIssuer = readEnvironmentVariable('API_JWT_ISSUER')
param jwtAudience = readEnvironmentVariable('API_JWT_AUDIENCE')
param jwtClientId = readEnvironmentVariable('API_CLIENT_ID')
param apimPublisherEmail = readEnvironmentVariable('APIM_PUBLISHER_EMAIL')
param alertEmail = readEnvironmentVariable('ALERT_EMAIL')
param apimSku = 'Consumption'
param corsAllowedOrigin = '*'
param sagaInventoryTimeoutSeconds = 180
param sagaPaymentTimeoutSeconds = 180
param idempotencyTtlSeconds = 86400
param functionMaximumInstanceCount = 40
param keyVaultPurgeProtection = false
param paymentGatewayApiKey = readEnvironmentVariable('PAYMENT_GATEWAY_API_KEY', '')
param deployerPrincipalId = readEnvironmentVariable('DEPLOYER_PRINCIPAL_ID', '')
// Set by tools/deploy/functionKey.sh exists; absent (a first deployment) means false.
param functionKeySecretExists = bool(readEnvironmentVariable('FUNCTION_KEY_SECRET_EXISTS', 'false'))
