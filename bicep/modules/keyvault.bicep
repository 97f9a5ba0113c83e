// Key Vault in RBAC mode: the payment gateway's API key (read by the Function App) and the
// function key that API Management injects (read by APIM through a named value).

param location string
param name string
param enablePurgeProtection bool
param paymentGatewayApiKeySecretName string
@secure()
@description('Value for the payment gateway API key secret; empty leaves the secret as it is (or absent).')
param paymentGatewayApiKey string
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Purge protection cannot be turned off once on, and "false" is rejected: omit it instead.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource paymentGatewayKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(paymentGatewayApiKey)) {
  parent: vault
  name: paymentGatewayApiKeySecretName
  properties: {
    value: paymentGatewayApiKey
    contentType: 'text/plain'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
