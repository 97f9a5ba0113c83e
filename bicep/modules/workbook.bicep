// The operators' Application Insights workbook. Its KQL lives in bicep/queries/*.kql and reads
// the structured log fields the app writes (orderId, correlationId, step, outcome,
// durationMs, failureReason) and, for the time per saga step, the spans the app exports
// (OpenTelemetry); README.md ("Runbook", "Tracing") names them so code and workbook agree.

param location string
param displayName string
param appInsightsId string
param serviceBusNamespaceId string
param tags object

var day = 86400000

var content = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      name: 'title'
      content: {
        json: '## Order processing\nOrders accepted, how sagas end, where time goes, and what is stuck in dead-letter queues. Runbook: README.md.'
      }
    }
    {
      type: 3
      name: 'orders-per-minute'
      content: {
        version: 'KqlItem/1.0'
        title: 'Orders per minute'
        query: loadTextContent('../queries/orders-per-minute.kql')
        queryType: 0
        resourceType: 'microsoft.insights/components'
        timeContext: { durationMs: day }
        visualization: 'timechart'
        size: 0
      }
    }
    {
      type: 3
      name: 'saga-outcomes'
      content: {
        version: 'KqlItem/1.0'
        title: 'Saga outcomes by failure reason'
        query: loadTextContent('../queries/saga-outcomes.kql')
        queryType: 0
        resourceType: 'microsoft.insights/components'
        timeContext: { durationMs: day }
        visualization: 'barchart'
        size: 0
      }
    }
    {
      type: 3
      name: 'step-latency'
      content: {
        version: 'KqlItem/1.0'
        title: 'Step latency (ms)'
        query: loadTextContent('../queries/step-latency.kql')
        queryType: 0
        resourceType: 'microsoft.insights/components'
        timeContext: { durationMs: day }
        visualization: 'table'
        size: 0
      }
    }
    {
      type: 3
      name: 'saga-step-spans'
      content: {
        version: 'KqlItem/1.0'
        title: 'Time per saga step (ms, from spans)'
        query: loadTextContent('../queries/saga-step-spans.kql')
        queryType: 0
        resourceType: 'microsoft.insights/components'
        timeContext: { durationMs: day }
        visualization: 'table'
        size: 0
      }
    }
    {
      type: 10
      name: 'dead-letter-depth'
      content: {
        chartId: 'dead-letter-depth'
        version: 'MetricsItem/2.0'
        title: 'Dead-letter depth by entity'
        size: 0
        chartType: 2
        resourceType: 'microsoft.servicebus/namespaces'
        metricScope: 0
        resourceIds: [
          serviceBusNamespaceId
        ]
        timeContext: { durationMs: day }
        metrics: [
          {
            namespace: 'microsoft.servicebus/namespaces'
            metric: 'microsoft.servicebus/namespaces--DeadletteredMessages'
            aggregation: 4
            splitBy: 'EntityName'
            splitBySortOrder: -1
            splitByLimit: 20
          }
        ]
        gridSettings: { rowLimit: 10000 }
      }
    }
  ]
  fallbackResourceIds: [
    appInsightsId
  ]
  '$schema': 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json'
}

resource workbook 'Microsoft.Insights/workbooks@2022-04-01' = {
  name: guid(resourceGroup().id, appInsightsId, 'operations-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string(content)
  }
}

output id string = workbook.id
