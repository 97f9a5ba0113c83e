// API Management in front of the Function App: the Orders API imported from the committed
// OpenAPI document, one API-level policy (infra/apim/*.xml), and the named values that policy
// uses. The function key APIM injects lives in Key Vault; APIM reads it with its own identity.
//
// The key is not read here. listKeys() on the host in the same deployment runs before any
// package exists, and the keys API is served by the Functions host itself (it answers
// "Encountered an error (InternalServerError) from host runtime" or 400 while the host cannot
// start; Azure/bicep-types-az#1356, Azure/bicep#2734). The deployer copies the key after the
// package deploy instead (tools/deploy/functionKey.sh handoff). A Key Vault named value needs
// its secret to exist when it is created, so the first deployment writes a random placeholder
// (APIM answers 401 until the handoff); later deployments leave the secret alone
// (functionKeySecretExists, set by tools/deploy/functionKey.sh exists).

param location string
param name string
@allowed([
  'Consumption'
  'BasicV2'
  'StandardV2'
])
param sku string
param publisherEmail string
param publisherName string
param functionAppName string
param keyVaultName string
param jwtIssuer string
@description('Application ID URI of the API app registration: the audience of v1.0 tokens requested for it.')
param jwtAudience string
@description('Client id of the API app registration: always the audience of v2.0 tokens.')
param jwtClientId string
param jwtOpenIdConfigUrl string
param corsAllowedOrigin string
param rateLimitCallsPerMinute int
@description('True when the function-host-key secret already exists: the deployment leaves it alone.')
param functionKeySecretExists bool
@secure()
@description('First value of the function-host-key secret, replaced by the real key after the package deploy.')
param functionKeyPlaceholder string = newGuid()
@description('Subnet for outbound VNet integration (Standard v2), to reach the app\'s private endpoint; empty for none.')
param integrationSubnetId string
param tags object

// No URL suffix: the OpenAPI paths already begin with /api (the Functions route prefix), so
// the public route <gateway>/api/... is the Function App's own route. (One API per APIM
// instance may have an empty suffix.)
var apiPath = ''
var functionKeySecretName = 'function-host-key'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// The policy is composed here, not in XML, because rate-limit-by-key does not exist on the
// Consumption SKU: there the marker is dropped (see infra/apim/rate-limit-by-subscriber.xml).
var rateLimitPolicy = sku == 'Consumption' ? '' : loadTextContent('../../infra/apim/rate-limit-by-subscriber.xml')
var apiPolicy = replace(loadTextContent('../../infra/apim/api-policy.xml'), '<!-- RATE_LIMIT -->', rateLimitPolicy)

// Every {{name}} the policy files use, declared once; the policy test reads this block.
var namedValues = {
  'jwt-issuer': jwtIssuer
  'jwt-audience': jwtAudience
  'jwt-client-id': jwtClientId
  'jwt-openid-config-url': jwtOpenIdConfigUrl
  'cors-allowed-origin': corsAllowedOrigin
  'rate-limit-calls-per-minute': string(rateLimitCallsPerMinute)
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource functionKeyPlaceholderSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!functionKeySecretExists) {
  parent: vault
  name: functionKeySecretName
  properties: {
    value: functionKeyPlaceholder
    contentType: 'text/plain'
  }
}

resource functionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: functionKeySecretName
}

resource apim 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    capacity: sku == 'Consumption' ? 0 : 1
  }
  identity: {
    type: 'SystemAssigned'
  }
  // Standard v2 integrates with a virtual network for outbound calls only: the gateway stays
  // public, and reaches the Function App's private endpoint through the integration subnet
  // (learn.microsoft.com/azure/api-management/integrate-vnet-outbound).
  properties: union(
    {
      publisherEmail: publisherEmail
      publisherName: publisherName
    },
    empty(integrationSubnetId)
      ? {}
      : {
          virtualNetworkType: 'External'
          virtualNetworkConfiguration: {
            subnetResourceId: integrationSubnetId
          }
        }
  )
}

// APIM may read this one secret and nothing else in the vault.
resource apimReadsFunctionKey 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(functionKeySecret.id, apim.id, keyVaultSecretsUserRoleId)
  scope: functionKeySecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: apim.identity.principalId
    principalType: 'ServicePrincipal'
  }
  dependsOn: [
    functionKeyPlaceholderSecret
  ]
}

resource plainNamedValues 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = [
  for nv in items(namedValues): {
    parent: apim
    name: nv.key
    properties: {
      displayName: nv.key
      value: nv.value
      secret: false
    }
  }
]

resource functionKeyNamedValue 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: apim
  name: functionKeySecretName
  properties: {
    displayName: functionKeySecretName
    secret: true
    keyVault: {
      // No version: APIM follows the latest version of the secret.
      secretIdentifier: '${vault.properties.vaultUri}secrets/${functionKeySecretName}'
    }
  }
  dependsOn: [
    apimReadsFunctionKey
  ]
}

resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: apim
  name: 'orders'
  properties: {
    displayName: 'Orders API'
    path: apiPath
    protocols: [
      'https'
    ]
    serviceUrl: 'https://${functionApp.properties.defaultHostName}'
    // Callers authenticate with an Entra ID token (validate-jwt), not a subscription key.
    subscriptionRequired: false
    format: 'openapi+json'
    value: loadTextContent('../../shared/contracts/openapi/openapi.json')
  }
}

resource apiPolicyResource 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: api
  name: 'policy'
  properties: {
    format: 'xml'
    value: apiPolicy
  }
  dependsOn: [
    plainNamedValues
    functionKeyNamedValue
  ]
}

// The storefront page (GET /api/shop/{file} on the Function App) as an API of its own: the
// Orders API validates a bearer token on every call, which a page navigation cannot carry.
// Its path is the more specific prefix, so <gateway>/api/shop/... lands here and the page's
// relative calls (<gateway>/api/orders, /api/negotiate) land on the Orders API.
resource storefrontApi 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: apim
  name: 'storefront'
  properties: {
    displayName: 'Storefront'
    path: 'api/shop'
    protocols: [
      'https'
    ]
    serviceUrl: 'https://${functionApp.properties.defaultHostName}/api/shop'
    subscriptionRequired: false
  }
}

resource storefrontOperations 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = [
  for op in [
    { name: 'page', urlTemplate: '/', parameters: [] }
    { name: 'file', urlTemplate: '/{file}', parameters: [{ name: 'file', type: 'string', required: true }] }
  ]: {
    parent: storefrontApi
    name: op.name
    properties: {
      displayName: op.name
      method: 'GET'
      urlTemplate: op.urlTemplate
      templateParameters: op.parameters
    }
  }
]

resource storefrontPolicy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: storefrontApi
  name: 'policy'
  properties: {
    format: 'xml'
    value: loadTextContent('../../infra/apim/storefront-policy.xml')
  }
  dependsOn: [
    functionKeyNamedValue
  ]
}

output name string = apim.name
output gatewayUrl string = apim.properties.gatewayUrl
output apiBaseUrl string = '${apim.properties.gatewayUrl}/api'
output id string = apim.id
output functionKeySecretName string = functionKeySecretName
