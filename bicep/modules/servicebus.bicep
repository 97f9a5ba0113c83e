// Service Bus namespace with exactly the project's topology. The entities are not written
// here: they are read from the emulator's Config.json (infra/servicebus/config.json), the
// same file the local emulator loads, so local and Azure cannot drift. The consistency test
// (tools/deploy/servicebusTopology.test.ts) checks that every entity the code uses is in
// that file with every property set explicitly, because the two brokers' defaults differ.

param location string
param name string
param tags object

// any(): the file's shape varies per entity (optional Properties, optional Rules), so its
// values are read with safe dereference instead of the type inferred from the JSON.
var topology = any(loadJsonContent('../../infra/servicebus/config.json'))
var userNamespace = topology.UserConfig.Namespaces[0]
var queues = userNamespace.?Queues ?? []
var topics = userNamespace.?Topics ?? []
var subscriptions = flatten(map(topics, t => map(t.?Subscriptions ?? [], s => {
  topic: t.Name
  subscription: s
})))
var rules = flatten(map(subscriptions, x => map(range(0, length(x.subscription.?Rules ?? [])), i => {
  topic: x.topic
  subscription: x.subscription.Name
  // Azure gives every new subscription a "$Default" rule that matches everything; the
  // emulator has none when rules are listed. Writing the first listed rule under the name
  // "$Default" replaces that catch-all, so both brokers filter alike.
  name: i == 0 ? '$Default' : x.subscription.Rules[i].Name
  rule: x.subscription.Rules[i]
  sqlProperties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: x.subscription.Rules[i].Properties.?SqlFilter.?SqlExpression
    }
  }
  correlationProperties: {
    filterType: 'CorrelationFilter'
    correlationFilter: {
      contentType: x.subscription.Rules[i].Properties.?CorrelationFilter.?ContentType
      correlationId: x.subscription.Rules[i].Properties.?CorrelationFilter.?CorrelationId
      // The emulator's schema spells the subject "Label"; "Subject" is accepted too.
      label: x.subscription.Rules[i].Properties.?CorrelationFilter.?Label ?? x.subscription.Rules[i].Properties.?CorrelationFilter.?Subject
      messageId: x.subscription.Rules[i].Properties.?CorrelationFilter.?MessageId
      replyTo: x.subscription.Rules[i].Properties.?CorrelationFilter.?ReplyTo
      replyToSessionId: x.subscription.Rules[i].Properties.?CorrelationFilter.?ReplyToSessionId
      sessionId: x.subscription.Rules[i].Properties.?CorrelationFilter.?SessionId
      to: x.subscription.Rules[i].Properties.?CorrelationFilter.?To
      properties: x.subscription.Rules[i].Properties.?CorrelationFilter.?Properties ?? {}
    }
  }
})))

// 2024-01-01: minimumTlsVersion is not a property of the namespace before 2022-10-01-preview
// (Azure/bicep-types-az, generated/servicebus/microsoft.servicebus/2021-11-01/types.md has no
// such property; 2024-01-01 is the first GA version that has it). Every Service Bus resource
// here and in roles.bicep uses the same version (tools/deploy/bicepApiVersions.test.ts).
resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  // Standard: topics and duplicate detection are not available on Basic.
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queueResources 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for q in queues: {
    parent: namespace
    name: q.Name
    properties: {
      lockDuration: q.?Properties.?LockDuration
      maxDeliveryCount: q.?Properties.?MaxDeliveryCount
      defaultMessageTimeToLive: q.?Properties.?DefaultMessageTimeToLive
      deadLetteringOnMessageExpiration: q.?Properties.?DeadLetteringOnMessageExpiration
      requiresDuplicateDetection: q.?Properties.?RequiresDuplicateDetection
      duplicateDetectionHistoryTimeWindow: q.?Properties.?DuplicateDetectionHistoryTimeWindow
      requiresSession: q.?Properties.?RequiresSession
      forwardTo: empty(q.?Properties.?ForwardTo ?? '') ? null : q.Properties.ForwardTo
      forwardDeadLetteredMessagesTo: empty(q.?Properties.?ForwardDeadLetteredMessagesTo ?? '') ? null : q.Properties.ForwardDeadLetteredMessagesTo
    }
  }
]

resource topicResources 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = [
  for t in topics: {
    parent: namespace
    name: t.Name
    properties: {
      defaultMessageTimeToLive: t.?Properties.?DefaultMessageTimeToLive
      requiresDuplicateDetection: t.?Properties.?RequiresDuplicateDetection
      duplicateDetectionHistoryTimeWindow: t.?Properties.?DuplicateDetectionHistoryTimeWindow
    }
  }
]

resource subscriptionResources 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = [
  for x in subscriptions: {
    name: '${namespace.name}/${x.topic}/${x.subscription.Name}'
    properties: {
      lockDuration: x.subscription.?Properties.?LockDuration
      maxDeliveryCount: x.subscription.?Properties.?MaxDeliveryCount
      defaultMessageTimeToLive: x.subscription.?Properties.?DefaultMessageTimeToLive
      deadLetteringOnMessageExpiration: x.subscription.?Properties.?DeadLetteringOnMessageExpiration
      requiresSession: x.subscription.?Properties.?RequiresSession
      forwardTo: empty(x.subscription.?Properties.?ForwardTo ?? '') ? null : x.subscription.Properties.ForwardTo
      forwardDeadLetteredMessagesTo: empty(x.subscription.?Properties.?ForwardDeadLetteredMessagesTo ?? '') ? null : x.subscription.Properties.ForwardDeadLetteredMessagesTo
    }
    dependsOn: [
      topicResources
      queueResources
    ]
  }
]

resource ruleResources 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = [
  for r in rules: {
    name: '${namespace.name}/${r.topic}/${r.subscription}/${r.name}'
    properties: r.rule.Properties.FilterType == 'Sql' ? r.sqlProperties : r.correlationProperties
    dependsOn: [
      subscriptionResources
    ]
  }
]

output id string = namespace.id
output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
