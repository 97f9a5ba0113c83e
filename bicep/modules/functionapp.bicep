// The Function App on the Flex Consumption plan (FC1), Node.js 22, running as the
// user-assigned identity. Every app setting is a name the settings schema
// (shared/config/settings.ts) reads, in its identity-based form: no keys, no connection
// strings with secrets. tools/deploy/appSettings.test.ts keeps this list and the schema in step.

param location string
param planName string
param appName string
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainerName string
param serviceBusFullyQualifiedNamespace string
param cosmosEndpoint string
param cosmosDatabaseName string
param keyVaultUri string
param paymentGateway string
param paymentGatewayApiKeySecretName string
param acsEndpoint string
param signalREndpoint string
param emailSenderAddress string
param sagaInventoryTimeoutSeconds int
param sagaPaymentTimeoutSeconds int
param idempotencyTtlSeconds int
param appInsightsConnectionString string
param maximumInstanceCount int
param instanceMemoryMB int
param tags object

// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are absent on purpose: Flex
// Consumption rejects them as app settings; functionAppConfig.runtime below names the
// language and version instead, and the platform sets the worker runtime from it.
var appSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  CosmosDbConnection__accountEndpoint: cosmosEndpoint
  CosmosDbConnection__credential: 'managedidentity'
  CosmosDbConnection__clientId: identityClientId
  // The SignalR bindings' connection (and the app's pushes), identity-based.
  AzureSignalRConnectionString__serviceUri: signalREndpoint
  AzureSignalRConnectionString__credential: 'managedidentity'
  AzureSignalRConnectionString__clientId: identityClientId
  COSMOS_DATABASE_NAME: cosmosDatabaseName
  KEY_VAULT_URL: keyVaultUri
  PAYMENT_GATEWAY: paymentGateway
  PAYMENT_GATEWAY_API_KEY_SECRET_NAME: paymentGatewayApiKeySecretName
  ACS_ENDPOINT: acsEndpoint
  EMAIL_SENDER_ADDRESS: emailSenderAddress
  SAGA_INVENTORY_TIMEOUT_SECONDS: string(sagaInventoryTimeoutSeconds)
  SAGA_PAYMENT_TIMEOUT_SECONDS: string(sagaPaymentTimeoutSeconds)
  IDEMPOTENCY_TTL_SECONDS: string(idempotencyTtlSeconds)
  // DefaultAzureCredential in the app picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  // Entra ID auth for telemetry (the component has local auth disabled).
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  LOG_FORMAT: 'json'
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
