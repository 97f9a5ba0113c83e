import { readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, bicepResourceBody, bicepResources, readRepoFile } from "./bicepText";

const BICEP_FILES = [
  "bicep/main.bicep",
  ...readdirSync(join(REPO_ROOT, "bicep/modules")).map((f) => `bicep/modules/${f}`),
];
const resources = BICEP_FILES.flatMap((file) =>
  bicepResources(readRepoFile(file)).map((r) => ({ file, ...r })),
);

describe("API versions of the Bicep resources", () => {
  // Azure/bicep-types-az: generated/servicebus/microsoft.servicebus/2021-11-01/types.md has no
  // minimumTlsVersion on SBNamespaceProperties; 2024-01-01 (GA) has it. A property the
  // version does not know is dropped or refused, so the TLS floor would silently not apply.
  it("uses Service Bus 2024-01-01 everywhere, the first GA version with minimumTlsVersion", () => {
    const serviceBus = resources.filter((r) => r.type.startsWith("Microsoft.ServiceBus/"));
    expect(serviceBus.length).toBeGreaterThanOrEqual(6);
    expect(serviceBus.filter((r) => r.apiVersion !== "2024-01-01")).toEqual([]);
    const namespace = bicepResourceBody(
      readRepoFile("bicep/modules/servicebus.bicep"),
      "namespace",
    );
    expect(namespace).toMatch(/minimumTlsVersion: '1\.2'/);
  });

  it("uses one API version per resource type across all files", () => {
    const byType = new Map<string, Set<string>>();
    for (const r of resources) {
      byType.set(r.type, (byType.get(r.type) ?? new Set()).add(r.apiVersion));
    }
    const mixed = [...byType].filter(([, versions]) => versions.size > 1);
    expect(mixed.map(([type, versions]) => `${type}: ${[...versions].join(", ")}`)).toEqual([]);
  });
});
