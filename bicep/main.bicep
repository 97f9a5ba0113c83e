// Order processing on Azure: every resource of the deployment, one module per family.
// Deploy into an existing resource group, then deploy the package and hand the function key
// to APIM: README.md, "Deploy to Azure", gives the commands and explains each parameter; the
// pipeline (.github/workflows/ci.yml) runs the same steps.

targetScope = 'resourceGroup'

@description('Environment name; part of every resource name.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('Short lowercase name of the workload; part of every resource name.')
@minLength(2)
@maxLength(10)
param workloadName string = 'orders'

@description('Region of the regional resources (Flex Consumption must be offered there).')
param location string = resourceGroup().location

// @minLength(1) on the parameters the parameter files read from required environment
// variables: an unset GitHub variable arrives as '', which fails validation here instead of
// a resource half-way through the deployment.
@description('Issuer the API accepts in tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0 (v2 tokens) or https://sts.windows.net/<tenant>/ (v1 tokens).')
@minLength(1)
param jwtIssuer string

// Entra ID puts the API's client id in aud of every v2.0 access token, and the client id or
// the Application ID URI (whichever the client asked for) in v1.0 tokens
// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference, "aud"). APIM
// accepts both, so the token version the app registration issues does not matter.
@description('The API app registration\'s Application ID URI, e.g. api://orders-api: the audience of v1.0 tokens requested for it.')
@minLength(1)
param jwtAudience string

@description('The API app registration\'s application (client) id: the audience of every v2.0 token.')
@minLength(36)
@maxLength(36)
param jwtClientId string

@description('OpenID Connect metadata URL APIM reads the token signing keys from.')
param jwtOpenIdConfigUrl string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0/.well-known/openid-configuration'

@description('Browser origin allowed by CORS (one origin, or * for any); empty means *.')
param corsAllowedOrigin string = '*'

@description('Calls per minute allowed to each caller (token subject); enforced on v2 SKUs only.')
param rateLimitCallsPerMinute int = 120

@description('API Management SKU. Consumption has no per-caller rate limit (rate-limit-by-key).')
@allowed([
  'Consumption'
  'BasicV2'
  'StandardV2'
])
param apimSku string = 'Consumption'

@description('Publisher e-mail shown by API Management (required by the service).')
@minLength(1)
param apimPublisherEmail string

@description('Publisher name shown by API Management.')
param apimPublisherName string = 'Order processing'

@description('Where alert notifications go.')
@minLength(1)
param alertEmail string

@description('Payment gateway the payment worker uses ("simulated" answers by test token).')
param paymentGateway string = 'simulated'

@description('Name of the Key Vault secret holding the payment gateway API key.')
param paymentGatewayApiKeySecretName string = 'payment-gateway-api-key'

@secure()
@description('Value of the payment gateway API key secret; empty leaves the secret untouched.')
param paymentGatewayApiKey string = ''

// Both saga timeouts must exceed the command queues' LockDuration (PT1M in
// infra/servicebus/config.json) plus a redelivery: a command locked by an instance that dies
// only comes back when its lock expires, and a shorter timer would fail (and refund) an order
// that was about to succeed.
@description('Seconds the saga waits for the inventory reply before it fails the order (more than the queue lock duration).')
param sagaInventoryTimeoutSeconds int = 180

@description('Seconds the saga waits for the payment reply before it fails the order (more than the queue lock duration).')
param sagaPaymentTimeoutSeconds int = 180

@description('Seconds an Idempotency-Key is remembered.')
param idempotencyTtlSeconds int = 86400

@description('Where Azure Communication Services keeps email data at rest.')
param emailDataLocation string = 'United States'

// Flex Consumption: "The lowest maximum scale is currently 40. The highest currently supported
// value is 1000." (learn.microsoft.com/azure/azure-functions/flex-consumption-plan,
// "Considerations").
@description('Upper bound of Flex Consumption instances (40 to 1000).')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Memory per Flex Consumption instance.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Key Vault purge protection (cannot be turned off again once on).')
param keyVaultPurgeProtection bool = false

@description('Object id of the principal that deploys (the pipeline, or you): it seeds the catalog and hands the function key to APIM. Empty for none.')
param deployerPrincipalId string = ''

@description('True when Key Vault already holds the function-host-key secret (tools/deploy/functionKey.sh exists): the deployment then leaves it alone.')
param functionKeySecretExists bool = false

// The Durable Task Scheduler is the default: Microsoft measured it at roughly five times the
// Azure Storage provider's throughput (learn.microsoft.com/azure/durable-task/scheduler/
// durable-task-scheduler-work-item-throughput), it pushes work items instead of polling
// queues, and it has a dashboard. Azure Storage stays available, with no other resource.
@description('Durable Functions backend: the Durable Task Scheduler, or the Azure Storage provider on the host storage account.')
@allowed([
  'DurableTaskScheduler'
  'AzureStorage'
])
param durableBackend string = 'DurableTaskScheduler'

@description('Durable Task Scheduler SKU: Consumption (pay per action, up to 500 actions/s) or Dedicated (capacity units of 2,000 actions/s each).')
@allowed([
  'Consumption'
  'Dedicated'
])
param durableTaskSchedulerSku string = 'Consumption'

@description('Capacity units of a Dedicated Durable Task Scheduler.')
@minValue(1)
@maxValue(3)
param durableTaskSchedulerCapacity int = 1

@description('Always-ready instances of the durable function group (orchestrators and activities).')
@minValue(0)
param durableAlwaysReadyInstances int = 1

@description('Log Analytics retention in days.')
param logRetentionDays int = 30

@description('Failed function executions within 15 minutes that raise the alert.')
param functionFailureThreshold int = 5

@description('APIM 5xx responses within 5 minutes that raise the alert.')
param apim5xxThreshold int = 5

param tags object = {}

var token = take(uniqueString(subscription().id, resourceGroup().id, workloadName, environmentName), 6)
// The task hub is named once, in host.json, which both the local Durable engine and Azure read.
var taskHubName = loadJsonContent('../host.json').extensions.durableTask.hubName
var useScheduler = durableBackend == 'DurableTaskScheduler'
// GitHub hands an unset repository variable to the workflow as an empty string, which
// readEnvironmentVariable() returns as is (its default applies only to an absent variable),
// and an APIM named value may not be empty: empty means "any origin" here.
var corsOrigin = empty(trim(corsAllowedOrigin)) ? '*' : trim(corsAllowedOrigin)
// Only API Management reaches the app when APIM can use a private endpoint: outbound VNet
// integration exists on Standard v2 (and Premium v2), not on Consumption or Basic v2
// (learn.microsoft.com/azure/api-management/integrate-vnet-outbound). On those SKUs the app
// stays public behind its function key, and the ApiManagement service tag would not help: it
// covers APIM's control plane, not its gateway's outbound calls
// (learn.microsoft.com/azure/virtual-network/service-tags-overview).
var privateBackend = apimSku == 'StandardV2'
var prefix = '${workloadName}-${environmentName}'
var allTags = union(tags, {
  workload: workloadName
  environment: environmentName
})
var names = {
  workspace: 'log-${prefix}-${token}'
  appInsights: 'appi-${prefix}-${token}'
  identity: 'id-${prefix}-func'
  storage: take('st${replace(workloadName, '-', '')}${environmentName}${token}', 24)
  serviceBus: 'sb-${prefix}-${token}'
  cosmos: 'cosmos-${prefix}-${token}'
  keyVault: take('kv-${prefix}-${token}', 24)
  emailService: 'ecs-${prefix}-${token}'
  communication: 'acs-${prefix}-${token}'
  plan: 'plan-${prefix}-${token}'
  functionApp: 'func-${prefix}-${token}'
  apim: 'apim-${prefix}-${token}'
  scheduler: 'dts-${prefix}-${token}'
  vnet: 'vnet-${prefix}-${token}'
  appPrivateEndpoint: 'pe-${prefix}-func'
  signalR: 'sigr-${prefix}-${token}'
  deploymentContainer: 'app-package'
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
    tags: allTags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    name: names.identity
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    deploymentContainerName: names.deploymentContainer
    tags: allTags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    name: names.serviceBus
    tags: allTags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    accountName: names.cosmos
    dataContributorPrincipalId: identity.outputs.principalId
    deployerPrincipalId: deployerPrincipalId
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: names.keyVault
    enablePurgeProtection: keyVaultPurgeProtection
    paymentGatewayApiKeySecretName: paymentGatewayApiKeySecretName
    paymentGatewayApiKey: paymentGatewayApiKey
    deployerPrincipalId: deployerPrincipalId
    tags: allTags
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  params: {
    dataLocation: emailDataLocation
    emailServiceName: names.emailService
    communicationServiceName: names.communication
    tags: allTags
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  params: {
    location: location
    name: names.signalR
    skuName: environmentName == 'prod' ? 'Standard_S1' : 'Free_F1'
    // The storefront page is served by the gateway (<gateway>/api/shop/), so its origin connects.
    allowedOrigins: union(['https://${names.apim}.azure-api.net'], corsAllowedOrigin == '*' ? [] : [corsAllowedOrigin])
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    communicationServiceName: communication.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    signalRName: signalR.outputs.name
  }
}

module durableTask 'modules/durabletask.bicep' = if (useScheduler) {
  name: 'durabletask'
  params: {
    location: location
    schedulerName: names.scheduler
    taskHubName: taskHubName
    skuName: durableTaskSchedulerSku
    capacity: durableTaskSchedulerCapacity
    principalId: identity.outputs.principalId
    tags: allTags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: names.plan
    appName: names.functionApp
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    keyVaultUri: keyVault.outputs.uri
    paymentGateway: paymentGateway
    paymentGatewayApiKeySecretName: paymentGatewayApiKeySecretName
    acsEndpoint: communication.outputs.endpoint
    signalREndpoint: signalR.outputs.endpoint
    emailSenderAddress: communication.outputs.senderAddress
    sagaInventoryTimeoutSeconds: sagaInventoryTimeoutSeconds
    sagaPaymentTimeoutSeconds: sagaPaymentTimeoutSeconds
    idempotencyTtlSeconds: idempotencyTtlSeconds
    appInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    durableBackend: durableBackend
    durableTaskSchedulerEndpoint: useScheduler ? durableTask.outputs.endpoint : ''
    denyPublicTraffic: privateBackend
    tags: allTags
  }
  // The app must find its storage, bus and telemetry rights in place at first start.
  dependsOn: [
    roles
  ]
}

module network 'modules/network.bicep' = if (privateBackend) {
  name: 'network'
  params: {
    location: location
    vnetName: names.vnet
    privateEndpointName: names.appPrivateEndpoint
    functionAppId: functionApp.outputs.id
    tags: allTags
  }
}

module apim 'modules/apim.bicep' = {
  name: 'apim'
  params: {
    location: location
    name: names.apim
    sku: apimSku
    publisherEmail: apimPublisherEmail
    publisherName: apimPublisherName
    functionAppName: functionApp.outputs.name
    keyVaultName: keyVault.outputs.name
    jwtIssuer: jwtIssuer
    jwtAudience: jwtAudience
    jwtClientId: jwtClientId
    jwtOpenIdConfigUrl: jwtOpenIdConfigUrl
    corsAllowedOrigin: corsOrigin
    rateLimitCallsPerMinute: rateLimitCallsPerMinute
    functionKeySecretExists: functionKeySecretExists
    integrationSubnetId: privateBackend ? network.outputs.apimSubnetId : ''
    tags: allTags
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    namePrefix: prefix
    alertEmail: alertEmail
    serviceBusNamespaceId: serviceBus.outputs.id
    appInsightsId: monitoring.outputs.appInsightsId
    apimId: apim.outputs.id
    functionFailureThreshold: functionFailureThreshold
    apim5xxThreshold: apim5xxThreshold
    tags: allTags
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    displayName: 'Order processing (${environmentName})'
    appInsightsId: monitoring.outputs.appInsightsId
    serviceBusNamespaceId: serviceBus.outputs.id
    tags: allTags
  }
}

output apimGatewayUrl string = apim.outputs.gatewayUrl
@description('Base URL of the API for clients, e.g. <apiBaseUrl>/orders.')
output apiBaseUrl string = apim.outputs.apiBaseUrl
output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output resourceGroupName string = resourceGroup().name
output storageAccountName string = storage.outputs.name
output serviceBusNamespace string = serviceBus.outputs.name
output serviceBusFullyQualifiedNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output cosmosAccountName string = cosmos.outputs.name
output cosmosEndpoint string = cosmos.outputs.endpoint
output keyVaultName string = keyVault.outputs.name
output appInsightsName string = monitoring.outputs.appInsightsName
output apimName string = apim.outputs.name
output communicationServiceName string = communication.outputs.name
output emailSenderAddress string = communication.outputs.senderAddress
output signalRName string = signalR.outputs.name
@description('The storefront page, served by the app through API Management.')
output storefrontUrl string = '${apim.outputs.apiBaseUrl}/shop/'
output managedIdentityClientId string = identity.outputs.clientId
output functionKeySecretName string = apim.outputs.functionKeySecretName
output durableBackend string = durableBackend
@description('The Durable Task Scheduler dashboard of the task hub; empty with the Azure Storage backend.')
output durableDashboardUrl string = useScheduler ? durableTask.outputs.dashboardUrl : ''
