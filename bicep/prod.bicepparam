// Production. BasicV2 rather than Consumption so that APIM enforces the per-caller rate
// limit (rate-limit-by-key does not exist on Consumption).
using './main.bicep'

param environmentName = 'prod'
param jwtIssuer = readEnvironmentVariable('API_JWT_ISSUER')
param jwtAudience = readEnvironmentVariable('API_JWT_AUDIENCE')
param apimPublisherEmail = readEnvironmentVariable('APIM_PUBLISHER_EMAIL')
param alertEmail = readEnvironmentVariable('ALERT_EMAIL')
param apimSku = 'BasicV2'
param corsAllowedOrigin = readEnvironmentVariable('API_CORS_ORIGIN', '*')
param rateLimitCallsPerMinute = 120
param sagaInventoryTimeoutSeconds = 180
param sagaPaymentTimeoutSeconds = 180
param idempotencyTtlSeconds = 86400
param functionMaximumInstanceCount = 100
param keyVaultPurgeProtection = true
param logRetentionDays = 90
param paymentGatewayApiKey = readEnvironmentVariable('PAYMENT_GATEWAY_API_KEY', '')
param catalogSeederPrincipalId = readEnvironmentVariable('CATALOG_SEEDER_PRINCIPAL_ID', '')
