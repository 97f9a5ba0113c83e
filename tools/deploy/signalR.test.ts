import { CONNECTIONS } from "../../shared/config/names";
import { bicepObjectVariable, readRepoFile, stripBicepComments } from "./bicepText";

const signalR = stripBicepComments(readRepoFile("bicep/modules/signalr.bicep"));
const main = stripBicepComments(readRepoFile("bicep/main.bicep"));
const roles = stripBicepComments(readRepoFile("bicep/modules/roles.bicep"));
const appSettings = bicepObjectVariable(
  readRepoFile("bicep/modules/functionapp.bicep"),
  "appSettings",
);

describe("Azure SignalR Service in Bicep", () => {
  it("runs in Serverless mode with keys disabled", () => {
    expect(signalR).toMatch(/flag: 'ServiceMode'\s+value: 'Serverless'/);
    expect(signalR).toMatch(/disableLocalAuth: true/);
    expect(signalR).toMatch(/disableAadAuth: false/);
  });

  it("sends its resource logs and metrics to the Log Analytics workspace", () => {
    expect(signalR).toMatch(/Microsoft\.Insights\/diagnosticSettings/);
    expect(signalR).toMatch(/scope: signalR/);
    expect(signalR).toMatch(/workspaceId: workspaceId/);
    expect(main).toMatch(/workspaceId: monitoring\.outputs\.workspaceId/);
  });

  it("lets the storefront's origin (the API Management gateway) connect", () => {
    expect(signalR).toMatch(/allowedOrigins: allowedOrigins/);
    expect(main).toMatch(
      /allowedOrigins: union\(\['https:\/\/\$\{names\.apim\}\.azure-api\.net'\]/,
    );
  });

  it("gives the app the identity-based connection the bindings and the pushes use, no key", () => {
    expect(appSettings.get(`${CONNECTIONS.signalR}__serviceUri`)).toBe("signalREndpoint");
    expect(appSettings.get(`${CONNECTIONS.signalR}__credential`)).toBe("'managedidentity'");
    expect(appSettings.get(`${CONNECTIONS.signalR}__clientId`)).toBe("identityClientId");
    expect(appSettings.has(CONNECTIONS.signalR)).toBe(false);
    expect(main).toMatch(/signalREndpoint: signalR\.outputs\.endpoint/);
  });

  it("gives the app's identity SignalR Service Owner on that service only", () => {
    expect(roles).toMatch(/scope: signalR\s/);
    expect(roles).toMatch(
      /roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', roles\.signalRServiceOwner\)/,
    );
  });
});
