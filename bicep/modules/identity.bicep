// The Function App's user-assigned managed identity. It exists before the app, so role
// assignments can be granted before the first cold start, and it survives app re-creation.

param location string
param name string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
