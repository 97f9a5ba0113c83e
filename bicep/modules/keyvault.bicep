// Key Vault in RBAC mode: the payment gateway's API key (read by the Function App) and the
// function key that API Management injects (read by APIM through a named value).

param location string
param name string
param enablePurgeProtection bool
param paymentGatewayApiKeySecretName string
@secure()
@description('Value for the payment gateway API key secret; empty leaves the secret as it is (or absent).')
param paymentGatewayApiKey string
@description('Object id of the principal that deploys; it writes the function key for APIM after the package deploy. Empty for none.')
param deployerPrincipalId string
param tags object

// Key Vault Secrets Officer: set and read secret values, nothing else (no keys, no access
// control). learn.microsoft.com/azure/role-based-access-control/built-in-roles
var keyVaultSecretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

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

// The deployer hands the Function App's key to APIM through this vault after the package
// deploy (tools/deploy/functionKey.sh): the key only exists once the host runs the package.
resource deployerWritesSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, keyVaultSecretsOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRoleId)
    principalId: deployerPrincipalId
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
