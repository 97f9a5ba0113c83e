// The private path from API Management to the Function App, deployed when APIM can take it
// (apimSku StandardV2, main.bicep): a virtual network with APIM's outbound integration subnet
// and a private endpoint of the Function App, whose name resolves to that endpoint inside the
// network through the privatelink.azurewebsites.net zone. The app itself denies public traffic
// to its main site (functionapp.bicep), and access restrictions are not evaluated for traffic
// through a private endpoint, so APIM is the only way in; the SCM site stays public for the
// pipeline's zip deploy, which needs an Entra ID token with rights on the app.
// Sources: learn.microsoft.com/azure/api-management/integrate-vnet-outbound (Standard v2:
// dedicated subnet delegated to Microsoft.Web/serverFarms, /26 or /27 recommended);
// learn.microsoft.com/azure/app-service/overview-private-endpoint (access restrictions are not
// evaluated for private endpoint traffic); learn.microsoft.com/azure/azure-functions/
// functions-networking-options (Flex Consumption: inbound private endpoints and access
// restrictions supported).

param location string
param vnetName string
param privateEndpointName string
param functionAppId string
param tags object

var apimSubnetName = 'apim-outbound'
var endpointSubnetName = 'private-endpoints'
var webPrivateDnsZone = 'privatelink.azurewebsites.net'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.60.0.0/24'
      ]
    }
    subnets: [
      {
        name: apimSubnetName
        properties: {
          addressPrefix: '10.60.0.0/26'
          delegations: [
            {
              name: 'apim-v2-integration'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: endpointSubnetName
        properties: {
          addressPrefix: '10.60.0.64/27'
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource apimSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: apimSubnetName
}

resource endpointSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: endpointSubnetName
}

resource zone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: webPrivateDnsZone
  location: 'global'
  tags: tags
}

resource zoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: zone
  name: '${vnetName}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource appEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: privateEndpointName
  location: location
  tags: tags
  properties: {
    subnet: {
      id: endpointSubnet.id
    }
    privateLinkServiceConnections: [
      {
        name: privateEndpointName
        properties: {
          privateLinkServiceId: functionAppId
          groupIds: [
            'sites'
          ]
        }
      }
    ]
  }
}

resource appEndpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: appEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: replace(webPrivateDnsZone, '.', '-')
        properties: {
          privateDnsZoneId: zone.id
        }
      }
    ]
  }
}

output apimSubnetId string = apimSubnet.id
