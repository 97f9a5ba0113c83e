// The Durable Task Scheduler: the saga's Durable backend when durableBackend is
// 'DurableTaskScheduler' (main.bicep). One scheduler, one task hub named as host.json's
// extensions.durableTask.hubName, and the Function App's identity as Durable Task Data
// Contributor on that task hub only. The app connects with its managed identity
// (DURABLE_TASK_SCHEDULER_CONNECTION_STRING, functionapp.bicep); the scheduler has no keys.
// Shapes follow Azure/bicep-types-az (generated/durabletask_0/microsoft.durabletask/2025-11-01)
// and Azure-Samples/Durable-Task-Scheduler (samples/durable-functions/dotnet/HelloCities/infra).

param location string
param schedulerName string
@description('Task hub name: must equal host.json extensions.durableTask.hubName (a test checks).')
param taskHubName string
@allowed([
  'Consumption'
  'Dedicated'
])
param skuName string
@description('Capacity units of the Dedicated SKU (ignored by Consumption).')
param capacity int
@description('Principal id of the Function App identity.')
param principalId string
param tags object

// Durable Task Data Contributor: start, query, raise events to and process orchestrations.
// learn.microsoft.com/azure/role-based-access-control/built-in-roles (Integration).
var durableTaskDataContributorRoleId = '0ad04412-c4d5-4796-b79c-f76d14c8d402'

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: schedulerName
  location: location
  tags: tags
  properties: {
    // Flex Consumption has no fixed outbound addresses without a NAT gateway, so the allow
    // list stays open; access is by Entra ID only (the role below), there is no key to leak.
    ipAllowlist: [
      '0.0.0.0/0'
    ]
    sku: skuName == 'Dedicated'
      ? {
          name: skuName
          capacity: capacity
        }
      : {
          name: skuName
        }
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
  properties: {}
}

resource appIsDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(taskHub.id, principalId, durableTaskDataContributorRoleId)
  scope: taskHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', durableTaskDataContributorRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
output dashboardUrl string = taskHub.properties.dashboardUrl
