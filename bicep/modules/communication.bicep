// Azure Communication Services for email: an Email Communication Service with an
// Azure-managed domain (<guid>.azurecomm.net, no DNS to verify), linked to the
// Communication Services resource the app sends through.

@description('Where ACS keeps data at rest, e.g. "United States", "Europe".')
param dataLocation string
param emailServiceName string
param communicationServiceName string
param tags object

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      managedDomain.id
    ]
  }
}

output id string = communication.id
output name string = communication.name
output endpoint string = 'https://${communication.properties.hostName}'
// An Azure-managed domain comes with the DoNotReply sender username.
output senderAddress string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
