import { readRepoFile, stripBicepComments } from "./bicepText";

type Version = [number, number, number];

/** "^20.19.0 || ^22.13.0" -> the lowest version of each caret alternative. */
function caretMinimums(range: string): Version[] {
  return range.split("||").map((part) => {
    const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part.trim());
    if (!match) throw new Error(`expected "^x.y.z || ...", got ${range}`);
    return [Number(match[1]), Number(match[2]), Number(match[3])];
  });
}

/** ">=20.0.0" -> [20, 0, 0]. */
function lowerBound(range: string): Version {
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!match) throw new Error(`expected ">=x.y.z", got ${range}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function atLeast(version: Version, minimum: Version): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i] !== minimum[i]) return version[i]! > minimum[i]!;
  }
  return true;
}

interface PackageJson {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  workspaces?: string[];
}

const root = JSON.parse(readRepoFile("package.json")) as PackageJson;
const supported = root.engines!.node!;
const ciRun = readRepoFile(".ci/run");
const workflow = readRepoFile(".github/workflows/ci.yml");

/** The Node majors a caret range admits. */
function majorsOf(range: string): number[] {
  return caretMinimums(range).map(([major]) => major);
}

describe("Node versions", () => {
  it("states the supported versions in every package, the same everywhere", () => {
    expect(majorsOf(supported)).toEqual([20, 22]);
    for (const workspace of root.workspaces!) {
      const pkg = JSON.parse(readRepoFile(`${workspace}/package.json`)) as PackageJson;
      expect({ workspace, node: pkg.engines?.node }).toEqual({ workspace, node: supported });
    }
  });

  it("runs the app in Azure on a supported version, the one .ci/run tests second", () => {
    const azure = /runtime: \{\s*name: 'node'\s*version: '(\d+)'\s*\}/.exec(
      stripBicepComments(readRepoFile("bicep/modules/functionapp.bicep")),
    )?.[1];
    expect(ciRun).toContain(`readonly AZURE_NODE_MAJOR=${azure!}`);
    expect(majorsOf(supported)).toContain(Number(azure));
    // Node 22 from the npm registry's "node" package, put first on PATH for the whole suite.
    expect(ciRun).toMatch(/npx --yes "node@\$\{AZURE_NODE_MAJOR\}" -p process\.execPath/);
    expect(ciRun).toMatch(/PATH="\$\(dirname "\$node22"\):\$PATH" suite/);
    expect(ciRun).toMatch(/npm test/);
  });

  it("tests every supported major: CI's machine Node and Azure's", () => {
    const versions = [...workflow.matchAll(/node-version: (\d+)/g)].map((m) => Number(m[1]));
    const buildTest = workflow.slice(
      workflow.indexOf("\n  build-test:"),
      workflow.indexOf("\n  bicep:"),
    );
    const machine = Number(/node-version: (\d+)/.exec(buildTest)?.[1]);
    const azure = Number(/readonly AZURE_NODE_MAJOR=(\d+)/.exec(ciRun)?.[1]);
    expect(new Set([machine, azure])).toEqual(new Set(majorsOf(supported)));
    for (const version of versions) expect(majorsOf(supported)).toContain(version);
  });

  // Newer releases of these SDKs require Node 22 ("engines": ">=22.0.0"); the pins are the
  // newest that still run on every supported version.
  it.each(["@azure/cosmos", "@azure/identity", "@azure/keyvault-secrets"])(
    "%s runs on every supported Node version",
    (name) => {
      const installed = JSON.parse(readRepoFile(`node_modules/${name}/package.json`)) as {
        version: string;
        engines: { node: string };
      };
      expect(root.dependencies![name]).toBe(installed.version);
      const needs = lowerBound(installed.engines.node);
      for (const minimum of caretMinimums(supported)) expect(atLeast(minimum, needs)).toBe(true);
    },
  );
});
