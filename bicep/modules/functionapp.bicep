// The Function App on the Flex Consumption plan (FC1), Node.js 22, running as the
// user-assigned identity. Every app setting is a name the settings schema
// (shared/config/settings.ts) or the Functions host reads, in its identity-based form: no
// keys, no connection strings with secrets. tools/deploy/appSettings.test.ts keeps this list
// and the schema in step.

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
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int
param instanceMemoryMB int
@description('Always-ready instances of the durable group (orchestrator and activity functions).')
param durableAlwaysReadyInstances int
@allowed([
  'DurableTaskScheduler'
  'AzureStorage'
])
param durableBackend string
@description('Endpoint of the Durable Task Scheduler; empty with the Azure Storage backend.')
param durableTaskSchedulerEndpoint string
@description('Deny public traffic to the main site: APIM reaches the app through its private endpoint (network.bicep).')
param denyPublicTraffic bool
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

// The Durable backend. host.json names the Durable Task Scheduler (storageProvider type
// azureManaged, connectionStringName DURABLE_TASK_SCHEDULER_CONNECTION_STRING), so that
// backend needs only its connection: identity-based, the user-assigned identity's client id,
// no key (learn.microsoft.com/azure/durable-task/common/durable-task-hubs, "Configure
// identity-based authentication"). The task hub comes from host.json hubName.
var schedulerSettings = {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTaskSchedulerEndpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}'
}

// The Azure Storage backend overrides host.json through app settings (AzureFunctionsJobHost__
// path__to__setting, learn.microsoft.com/azure/azure-functions/functions-host-json#override-
// hostjson-values), so one package serves both backends. connectionStringName is an alias of
// the provider's connectionName (azure-functions-durable-extension, AzureStorageOptions.cs);
// AzureWebJobsStorage resolves to the identity-based storage settings above. The polling
// ceiling follows Microsoft's Flex Consumption recommendation for this provider: 10 seconds
// or less (learn.microsoft.com/azure/azure-functions/durable/durable-functions-azure-storage-
// provider#flex-consumption-plan).
var storageBackendSettings = {
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'AzureStorage'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'AzureWebJobsStorage'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval: '00:00:10'
}

var allSettings = union(appSettings, durableBackend == 'DurableTaskScheduler' ? schedulerSettings : storageBackendSettings)

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
      appSettings: [for setting in items(allSettings): { name: setting.key, value: setting.value }]
      // With APIM on a private endpoint, the public main site answers 403 to everyone; the
      // private endpoint is not subject to these rules. The SCM site keeps its own, open rules:
      // the pipeline deploys the package through it (az functionapp deployment source
      // config-zip), authenticated with Entra ID.
      ipSecurityRestrictionsDefaultAction: denyPublicTraffic ? 'Deny' : 'Allow'
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: 'Allow'
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
        // 40 is Flex Consumption's lowest maximum (flex-consumption-plan, "Considerations").
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // One warm instance for the orchestrator and activity functions, Microsoft's
        // recommendation for Durable Functions on Flex Consumption (durable-functions-azure-
        // storage-provider#flex-consumption-plan): a saga step waits on no cold start.
        alwaysReady: [
          {
            name: 'durable'
            instanceCount: durableAlwaysReadyInstances
          }
        ]
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
