// Development environment. Values that differ per tenant come from the environment, so
// the pipeline (repository variables) and a person at a shell use the same file.
using './main.bicep'

param environmentName = 'dev'
param jwtIssuer = readEnvironmentVariable('API_JWT_ISSUER')
param jwtAudience = readEnvironmentVariable('API_JWT_AUDIENCE')
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
param catalogSeederPrincipalId = readEnvironmentVariable('CATALOG_SEEDER_PRINCIPAL_ID', '')
