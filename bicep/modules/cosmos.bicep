// Cosmos DB (NoSQL API), serverless, keys disabled: the only way in is Entra ID, through the
// SQL role assignment below. The database and containers come from cosmos-containers.json,
// which a consistency test (tools/deploy/cosmosContainers.test.ts) proves equal to
// COSMOS_CONTAINERS in shared/config/names.ts, the names the code uses.

param location string
param accountName string
@description('Principal id of the Function App identity that reads and writes the data.')
param dataContributorPrincipalId string
@description('Principal (object) id allowed to seed the catalog, e.g. the pipeline\'s; empty for none.')
param deployerPrincipalId string
param tags object

// any(): containers differ in shape (defaultTtl is optional), so read them untyped.
var definition = any(loadJsonContent('../cosmos-containers.json'))

// Cosmos DB Built-in Data Contributor: read, write, query and change feed on every
// container of the account; no control-plane rights.
var builtInDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      { name: 'EnableServerless' }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: definition.databaseName
  properties: {
    resource: {
      id: definition.databaseName
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [
  for c in definition.containers: {
    parent: database
    name: c.id
    properties: {
      resource: union(
        {
          id: c.id
          partitionKey: {
            paths: [c.partitionKeyPath]
            kind: 'Hash'
            version: 2
          }
          indexingPolicy: {
            indexingMode: 'consistent'
            automatic: true
            includedPaths: [{ path: '/*' }]
            excludedPaths: [{ path: '/"_etag"/?' }]
          }
        },
        // defaultTtl -1 turns TTL on with per-document "ttl"; absent leaves TTL off.
        contains(c, 'defaultTtl') ? { defaultTtl: c.defaultTtl } : {}
      )
    }
  }
]

// Cosmos DB takes an exclusive lock on the account for each SQL role assignment (and for
// container writes): two issued in parallel fail with 412 "There is another user operation
// in progress which requires an exclusive lock" (hashicorp/terraform-provider-azurerm#15842).
// ARM runs independent resources in parallel, so the assignments are chained explicitly:
// containers, then the app's assignment, then the seeder's (tools/deploy/roles.test.ts).
resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, dataContributorPrincipalId, builtInDataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${builtInDataContributorRoleId}'
    principalId: dataContributorPrincipalId
    scope: account.id
  }
  dependsOn: [
    containers
  ]
}

// The catalog is data, not infrastructure: the pipeline seeds it after deploying (the app's
// identity cannot create containers, so nothing seeds it in Azure otherwise).
resource catalogSeeder 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = if (!empty(deployerPrincipalId)) {
  parent: account
  name: guid(account.id, deployerPrincipalId, builtInDataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${builtInDataContributorRoleId}'
    principalId: deployerPrincipalId
    scope: account.id
  }
  dependsOn: [
    dataContributor
  ]
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
