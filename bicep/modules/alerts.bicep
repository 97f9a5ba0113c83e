// Alerts operators act on, each with a runbook section in README.md ("Runbook"):
// dead-lettered messages per entity, function failures, failed orchestrations, APIM 5xx.

param location string
param namePrefix string
param alertEmail string
param serviceBusNamespaceId string
param appInsightsId string
param apimId string
param functionFailureThreshold int
param apim5xxThreshold int
param tags object

// The watched entities come from the topology file itself: a resource loop needs its array
// at the start of the deployment, which a module output is not. The DeadletteredMessages
// metric's EntityName dimension names queues and topics (a topic's value covers its
// subscriptions), so those are the entities alerted on.
var topology = any(loadJsonContent('../../infra/servicebus/config.json'))
var deadLetterEntities = concat(
  map(topology.UserConfig.Namespaces[0].?Queues ?? [], q => q.Name),
  map(topology.UserConfig.Namespaces[0].?Topics ?? [], t => t.Name)
)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-operators'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: take('orders-ops', 12)
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// One alert per entity (not one split alert), so each has its own name, state and history.
resource deadLetterAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [
  for entity in deadLetterEntities: {
    name: '${namePrefix}-deadletter-${replace(entity, '/', '-')}'
    location: 'global'
    tags: tags
    properties: {
      description: 'Messages were dead-lettered on ${entity}. Runbook: README.md, "Dead-lettered messages".'
      severity: 2
      enabled: true
      scopes: [
        serviceBusNamespaceId
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT5M'
      autoMitigate: true
      criteria: {
        'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
        allOf: [
          {
            criterionType: 'StaticThresholdCriterion'
            name: 'DeadletteredMessages'
            metricNamespace: 'Microsoft.ServiceBus/namespaces'
            metricName: 'DeadletteredMessages'
            dimensions: [
              {
                name: 'EntityName'
                operator: 'Include'
                values: [
                  entity
                ]
              }
            ]
            operator: 'GreaterThan'
            threshold: 0
            timeAggregation: 'Maximum'
          }
        ]
      }
      actions: [
        {
          actionGroupId: actionGroup.id
        }
      ]
    }
  }
]

// A log alert on requests, not the requests/failed metric: that metric counts every request
// with success == false, which includes the 4xx answers the API gives by design (validation,
// not found, conflicts), so it would page operators for clients' mistakes.
resource functionFailures 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: '${namePrefix}-function-failures'
  location: location
  tags: tags
  properties: {
    displayName: '${namePrefix} function failures'
    description: 'Function executions failed (HTTP 5xx, or a queue- or orchestration-triggered invocation threw). Runbook: README.md, "Function failures".'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: loadTextContent('../queries/function-failures.kql')
          timeAggregation: 'Count'
          operator: 'GreaterThanOrEqual'
          threshold: functionFailureThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// The Durable extension writes one tracking trace per orchestration state change; "Failed"
// means the orchestrator itself threw (a bug or an unhandled error), not a business outcome:
// a declined payment ends the saga "Completed" with the order Failed.
resource failedOrchestrations 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: '${namePrefix}-failed-orchestrations'
  location: location
  tags: tags
  properties: {
    displayName: '${namePrefix} failed orchestrations'
    description: 'An orchestration instance failed. Runbook: README.md, "Failed orchestrations".'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: loadTextContent('../queries/failed-orchestrations.kql')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource apim5xx 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-apim-5xx'
  location: 'global'
  tags: tags
  properties: {
    description: 'API Management returned 5xx responses. Runbook: README.md, "APIM 5xx responses".'
    severity: 2
    enabled: true
    scopes: [
      apimId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'GatewayServerErrors'
          metricNamespace: 'Microsoft.ApiManagement/service'
          metricName: 'Requests'
          dimensions: [
            {
              name: 'GatewayResponseCodeCategory'
              operator: 'Include'
              values: [
                '5xx'
              ]
            }
          ]
          operator: 'GreaterThanOrEqual'
          threshold: apim5xxThreshold
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

output actionGroupId string = actionGroup.id
