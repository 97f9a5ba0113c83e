import {
  bicepModules,
  bicepResourceBody,
  bicepVarLine,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";

const MAIN = readRepoFile("bicep/main.bicep");
const modules = bicepModules(MAIN);
const moduleOf = (symbol: string) => modules.find((m) => m.symbol === symbol)!;
const APP = stripBicepComments(readRepoFile("bicep/modules/functionapp.bicep"));
const NETWORK = readRepoFile("bicep/modules/network.bicep");
const APIM = readRepoFile("bicep/modules/apim.bicep");

/**
 * Only API Management reaches the Function App. The ApiManagement service tag would not do
 * it: it covers APIM's control plane, not its gateway's calls to backends
 * (learn.microsoft.com/azure/virtual-network/service-tags-overview). What works on Flex
 * Consumption is a private endpoint (functions-networking-options: Flex supports inbound
 * private endpoints and access restrictions) reached by APIM Standard v2 through outbound VNet
 * integration (api-management/integrate-vnet-outbound), with the public main site denied;
 * access restrictions are not evaluated for private endpoint traffic
 * (app-service/overview-private-endpoint).
 */
describe("inbound access to the Function App", () => {
  it("takes the private path exactly when APIM can: Standard v2", () => {
    expect(bicepVarLine(MAIN, "privateBackend")).toBe("apimSku == 'StandardV2'");
    expect(moduleOf("network").condition).toBe("privateBackend");
    expect(moduleOf("functionApp").params.get("denyPublicTraffic")).toBe("privateBackend");
    expect(moduleOf("apim").params.get("integrationSubnetId")).toBe(
      "privateBackend ? network.outputs.apimSubnetId : ''",
    );
    expect(readRepoFile("bicep/prod.bicepparam")).toMatch(/^param apimSku = 'StandardV2'$/m);
  });

  it("denies public traffic to the main site and keeps the SCM site open for the zip deploy", () => {
    expect(APP).toMatch(
      /ipSecurityRestrictionsDefaultAction: denyPublicTraffic \? 'Deny' : 'Allow'/,
    );
    expect(APP).toMatch(/scmIpSecurityRestrictionsUseMain: false/);
    expect(APP).toMatch(/scmIpSecurityRestrictionsDefaultAction: 'Allow'/);
    expect(APP).not.toMatch(/publicNetworkAccess: 'Disabled'/);
  });

  it("gives the app a private endpoint that APIM's integration subnet resolves", () => {
    const endpoint = bicepResourceBody(NETWORK, "appEndpoint");
    expect(endpoint).toMatch(/privateLinkServiceId: functionAppId/);
    expect(endpoint).toMatch(/groupIds: \[\s*'sites'\s*\]/);
    expect(bicepVarLine(NETWORK, "webPrivateDnsZone")).toBe("'privatelink.azurewebsites.net'");
    expect(bicepResourceBody(NETWORK, "zoneLink")).toMatch(/id: vnet\.id/);
    expect(bicepResourceBody(NETWORK, "appEndpointDns")).toMatch(/privateDnsZoneId: zone\.id/);
    const vnet = bicepResourceBody(NETWORK, "vnet");
    expect(vnet).toMatch(/serviceName: 'Microsoft\.Web\/serverFarms'/);
    expect(vnet).toMatch(/addressPrefix: '10\.60\.0\.0\/26'/);
    expect(moduleOf("network").params.get("functionAppId")).toBe("functionApp.outputs.id");
  });

  it("integrates APIM with that subnet only when one is given", () => {
    const service = bicepResourceBody(APIM, "apim");
    expect(service).toMatch(/empty\(integrationSubnetId\)\s*\?\s*\{\}/);
    expect(service).toMatch(/virtualNetworkType: 'External'/);
    expect(service).toMatch(/subnetResourceId: integrationSubnetId/);
  });

  it("keeps calling the app by its public host name, which resolves privately inside the network", () => {
    expect(stripBicepComments(APIM)).toMatch(
      /serviceUrl: 'https:\/\/\$\{functionApp\.properties\.defaultHostName\}'/,
    );
  });
});
