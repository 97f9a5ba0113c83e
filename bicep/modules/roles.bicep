// Least-privilege Azure RBAC for the Function App's identity, each role at the narrowest
// scope that still works. The Cosmos DB data-plane role is a Cosmos SQL role assignment
// (cosmos.bicep); APIM's read of its one secret is granted in apim.bicep.

param principalId string
param storageAccountName string
param serviceBusNamespaceName string
param keyVaultName string
param communicationServiceName string
param appInsightsName string
param signalRName string

// Built-in role definition ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  // Host storage: blobs (leases, deployment package), Durable task hub queues and tables.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Service Bus: publish events and commands; receive on the triggers.
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  // Key Vault: read secret values only.
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  // ACS Email with Entra ID: there is no send-only built-in role; this one is scoped to the
  // single Communication Services resource.
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350'
  // Application Insights with local auth disabled: ingest telemetry with an Entra token.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  // SignalR Service with Entra ID (local auth off): the negotiate binding issues client
  // tokens and the app pushes through the REST API; the Functions SignalR bindings' docs
  // name this role for identity-based connections.
  signalRServiceOwner: '7e4f1700-ea5a-4f59-8f37-079cfe29dce3'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' existing = {
  name: signalRName
}

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, principalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

var serviceBusRoles = [
  roles.serviceBusDataSender
  roles.serviceBusDataReceiver
]

resource serviceBusAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in serviceBusRoles: {
    name: guid(serviceBus.id, principalId, roleId)
    scope: serviceBus
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource keyVaultAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource communicationAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, principalId, roles.communicationAndEmailServiceOwner)
  scope: communication
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.communicationAndEmailServiceOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource telemetryAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource signalRAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, principalId, roles.signalRServiceOwner)
  scope: signalR
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.signalRServiceOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
