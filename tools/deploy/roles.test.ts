import {
  bicepObjectVariable,
  bicepStringLiteral,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";

/**
 * Built-in role definition ids, checked against Microsoft's list of Azure built-in roles
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles). A wrong GUID deploys
 * fine and grants the wrong thing (or fails at first use), so they are pinned here.
 */
const BUILT_IN_ROLES: Record<string, string> = {
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  serviceBusDataSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
  serviceBusDataReceiver: "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  communicationAndEmailServiceOwner: "09976791-48a7-449e-bb21-39d1a415f350",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  signalRServiceOwner: "7e4f1700-ea5a-4f59-8f37-079cfe29dce3",
};

describe("role assignments", () => {
  const rolesModule = readRepoFile("bicep/modules/roles.bicep");
  const roles = bicepObjectVariable(rolesModule, "roles");

  it("uses the right built-in role ids, and only those", () => {
    const declared = Object.fromEntries([...roles].map(([k, v]) => [k, bicepStringLiteral(v)]));
    expect(declared).toEqual(BUILT_IN_ROLES);
  });

  it("assigns every declared role to the Function App identity", () => {
    const text = stripBicepComments(rolesModule);
    for (const name of roles.keys()) expect(text).toContain(`roles.${name}`);
    expect(text.match(/principalId: principalId/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it("gives APIM Key Vault Secrets User on the function key secret only", () => {
    const apim = stripBicepComments(readRepoFile("bicep/modules/apim.bicep"));
    expect(apim).toContain(
      `var keyVaultSecretsUserRoleId = '${BUILT_IN_ROLES.keyVaultSecretsUser}'`,
    );
    expect(apim).toMatch(/scope: functionKeySecret/);
  });

  it("gives the identity the Cosmos DB Built-in Data Contributor SQL role", () => {
    const cosmos = stripBicepComments(readRepoFile("bicep/modules/cosmos.bicep"));
    expect(cosmos).toMatch(
      /var builtInDataContributorRoleId = '00000000-0000-0000-0000-000000000002'/,
    );
    expect(cosmos).toMatch(/principalId: dataContributorPrincipalId/);
  });
});
