// Order processing on Azure: every resource of the deployment, one module per family.
// Deploy into an existing resource group:
//   az deployment group create -g <rg> -f bicep/main.bicep -p bicep/dev.bicepparam
// README.md, "Deploy to Azure", explains each parameter.

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

@description('Issuer the API accepts in tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0 (v2 tokens) or https://sts.windows.net/<tenant>/ (v1 tokens).')
param jwtIssuer string

@description('Audience the API accepts in tokens: the API app registration\'s Application ID URI or client id.')
param jwtAudience string

@description('OpenID Connect metadata URL APIM reads the token signing keys from.')
param jwtOpenIdConfigUrl string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0/.well-known/openid-configuration'

@description('Browser origin allowed by CORS (one origin, or * for any).')
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
param apimPublisherEmail string

@description('Publisher name shown by API Management.')
param apimPublisherName string = 'Order processing'

@description('Where alert notifications go.')
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

@description('Upper bound of Flex Consumption instances.')
@minValue(1)
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

@description('Object id of a principal that may write the catalog (the pipeline seeds it); empty for none.')
param catalogSeederPrincipalId string = ''

@description('Log Analytics retention in days.')
param logRetentionDays int = 30

@description('Failed function executions within 15 minutes that raise the alert.')
param functionFailureThreshold int = 5

@description('APIM 5xx responses within 5 minutes that raise the alert.')
param apim5xxThreshold int = 5

param tags object = {}

var token = take(uniqueString(subscription().id, resourceGroup().id, workloadName, environmentName), 6)
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
    catalogSeederPrincipalId: catalogSeederPrincipalId
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
    tags: allTags
  }
  // The app must find its storage, bus and telemetry rights in place at first start.
  dependsOn: [
    roles
  ]
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
    jwtOpenIdConfigUrl: jwtOpenIdConfigUrl
    corsAllowedOrigin: corsAllowedOrigin
    rateLimitCallsPerMinute: rateLimitCallsPerMinute
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
