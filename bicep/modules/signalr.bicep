// Azure SignalR Service for live order status. Serverless mode: clients are redirected here by
// the app's negotiate function (signalRConnectionInfo binding) and the app pushes through the
// REST API; no app server holds connections. Keys are disabled: the Function App's managed
// identity (SignalR Service Owner, roles.bicep) is the only way in. Resource logs and metrics
// go to Log Analytics.

param location string
param name string
@allowed([
  'Free_F1'
  'Standard_S1'
])
param skuName string
@description('Origins whose pages may connect: the storefront is served through API Management.')
param allowedOrigins array
param workspaceId string
param tags object

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    tier: skuName == 'Free_F1' ? 'Free' : 'Standard'
    capacity: 1
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Serverless'
      }
      {
        flag: 'EnableConnectivityLogs'
        value: 'True'
      }
    ]
    cors: {
      allowedOrigins: allowedOrigins
    }
    // Entra ID only: no access keys, so no connection string exists to leak.
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: signalR
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = signalR.name
output endpoint string = 'https://${signalR.properties.hostName}'
