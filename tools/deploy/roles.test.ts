import {
  bicepObjectVariable,
  bicepResourceBody,
  bicepStringLiteral,
  bicepVarLine,
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

/** Roles granted outside roles.bicep, by the module that owns the resource. */
const OTHER_BUILT_IN_ROLES = {
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  durableTaskDataContributor: "0ad04412-c4d5-4796-b79c-f76d14c8d402",
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

  it("gives the deployer Key Vault Secrets Officer on the vault, to hand over the function key", () => {
    const vault = readRepoFile("bicep/modules/keyvault.bicep");
    expect(bicepVarLine(vault, "keyVaultSecretsOfficerRoleId")).toBe(
      `'${OTHER_BUILT_IN_ROLES.keyVaultSecretsOfficer}'`,
    );
    const grant = bicepResourceBody(vault, "deployerWritesSecrets");
    expect(grant).toMatch(/= if \(!empty\(deployerPrincipalId\)\) \{/);
    expect(grant).toMatch(/scope: vault\b/);
  });

  it("gives the app identity Durable Task Data Contributor on its task hub only", () => {
    const dts = readRepoFile("bicep/modules/durabletask.bicep");
    expect(bicepVarLine(dts, "durableTaskDataContributorRoleId")).toBe(
      `'${OTHER_BUILT_IN_ROLES.durableTaskDataContributor}'`,
    );
    const grant = bicepResourceBody(dts, "appIsDataContributor");
    expect(grant).toMatch(/scope: taskHub\b/);
    expect(grant).toMatch(/principalType: 'ServicePrincipal'/);
  });

  // Cosmos DB locks the account for each SQL role assignment and container write; two at once
  // fail with 412 "another user operation in progress" (hashicorp/terraform-provider-azurerm#15842).
  it("creates the Cosmos DB SQL role assignments one after the other, after the containers", () => {
    const cosmos = readRepoFile("bicep/modules/cosmos.bicep");
    expect(bicepResourceBody(cosmos, "dataContributor")).toMatch(/dependsOn: \[\s*containers\s*\]/);
    expect(bicepResourceBody(cosmos, "catalogSeeder")).toMatch(
      /dependsOn: \[\s*dataContributor\s*\]/,
    );
    const assignments = [...stripBicepComments(cosmos).matchAll(/sqlRoleAssignments@/g)];
    expect(assignments).toHaveLength(2);
  });

  it("gives the identity the Cosmos DB Built-in Data Contributor SQL role", () => {
    const cosmos = stripBicepComments(readRepoFile("bicep/modules/cosmos.bicep"));
    expect(cosmos).toMatch(
      /var builtInDataContributorRoleId = '00000000-0000-0000-0000-000000000002'/,
    );
    expect(cosmos).toMatch(/principalId: dataContributorPrincipalId/);
  });
});
