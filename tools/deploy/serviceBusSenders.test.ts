/**
 * Who can put a message on a participant's queue in Azure: only the app's identity. That is
 * why a forged command is harmless there (docs/guarantees.md, "Forged messages"): the
 * namespace takes no shared access keys, and the one Service Bus data role that can send is
 * granted to the Function App's user-assigned identity alone, on the namespace.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { readRepoFile, stripBicepComments } from "./bicepText";

const SENDING_ROLES = {
  serviceBusDataSender: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
  serviceBusDataOwner: "090c5cfd-751d-490a-894a-3ce6f1109419",
};

function bicepFiles(dir = "bicep"): string[] {
  const root = path.join(__dirname, "..", "..");
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? bicepFiles(path.join(dir, entry.name))
      : entry.name.endsWith(".bicep")
        ? [path.join(dir, entry.name)]
        : [],
  );
}

describe("senders to the Service Bus namespace", () => {
  it("takes no shared access keys: local auth off, no authorization rules", () => {
    const module = stripBicepComments(readRepoFile("bicep/modules/servicebus.bicep"));
    expect(module).toMatch(/disableLocalAuth: true/);
    for (const file of bicepFiles())
      expect([file, stripBicepComments(readRepoFile(file))]).not.toEqual([
        file,
        expect.stringMatching(/Microsoft\.ServiceBus\/namespaces\/[\w/]*authorizationRules/i),
      ]);
  });

  it("grants a sending role only in roles.bicep, to the principal main.bicep gives it", () => {
    const granting = bicepFiles().filter((file) => {
      const text = stripBicepComments(readRepoFile(file));
      return Object.values(SENDING_ROLES).some((id) => text.includes(id));
    });
    expect(granting).toEqual([path.join("bicep", "modules", "roles.bicep")]);
    const roles = stripBicepComments(readRepoFile("bicep/modules/roles.bicep"));
    expect(roles).not.toContain(SENDING_ROLES.serviceBusDataOwner);
    expect(roles).toMatch(/scope: serviceBus\s+properties: \{[^}]*principalId: principalId/);
  });

  it("gives roles.bicep the Function App's identity and nothing else", () => {
    const main = stripBicepComments(readRepoFile("bicep/main.bicep"));
    const module = /module roles 'modules\/roles\.bicep' = \{[\s\S]*?\n\}/.exec(main)?.[0] ?? "";
    expect(module).toContain("principalId: identity.outputs.principalId");
    const functionApp = /module functionApp 'modules\/functionapp\.bicep' = \{[\s\S]*?\n\}/.exec(
      main,
    )?.[0];
    expect(functionApp).toMatch(/identity\.outputs\.(id|resourceId|clientId)/);
  });
});
