import semver from "semver";
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

interface PackageJson {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  workspaces?: string[];
}

/** package-lock.json v3: every installed package by its path, with the engines it declares. */
interface PackageLock {
  packages: Record<string, { version?: string; engines?: unknown }>;
}

const root = JSON.parse(readRepoFile("package.json")) as PackageJson;
const supported = root.engines!.node!;

/**
 * Whether a package's engines.node admits every Node version `supported` admits. npm checks
 * only an object's "node" string (the old array form is ignored) and warns EBADENGINE when
 * the running Node does not satisfy it, an unparseable range included.
 */
function runsOnSupported(engines: unknown): boolean {
  if (typeof engines !== "object" || engines === null || Array.isArray(engines)) return true;
  const node = (engines as { node?: unknown }).node;
  if (node === undefined) return true;
  return (
    typeof node === "string" && semver.validRange(node) !== null && semver.subset(supported, node)
  );
}

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

  // Newer releases of these SDKs require Node 22 ("engines": ">=22.0.0", directly or through a
  // dependency: @azure/core-process, @azure/storage-common 12.5); the exact pins are the newest
  // that still run on every supported version.
  it.each([
    ["package.json", "@azure/cosmos"],
    ["package.json", "@azure/identity"],
    ["package.json", "@azure/keyvault-secrets"],
    ["package.json", "@azure/monitor-opentelemetry-exporter"],
    ["infra/local/package.json", "@azure/storage-queue"],
  ])("%s pins %s to a release that runs on every supported Node version", (manifest, name) => {
    const declaring = JSON.parse(readRepoFile(manifest)) as PackageJson;
    const installed = JSON.parse(readRepoFile(`node_modules/${name}/package.json`)) as {
      version: string;
      engines: { node: string };
    };
    expect(declaring.dependencies![name]).toBe(installed.version);
    expect(semver.subset(supported, installed.engines.node)).toBe(true);
  });

  // What `npm ci` installs is the lock file: a package there that needs a newer Node than
  // `engines` admits is an EBADENGINE warning on Node 20 and code that may not run on it.
  it("locks only packages that run on every supported Node version", () => {
    const lock = JSON.parse(readRepoFile("package-lock.json")) as PackageLock;
    const entries = Object.entries(lock.packages);
    expect(entries.filter(([, entry]) => entry.engines !== undefined).length).toBeGreaterThan(100);
    const needsNewer = entries
      .filter(([, entry]) => !runsOnSupported(entry.engines))
      .map(([where, entry]) => `${where}@${entry.version} (${JSON.stringify(entry.engines)})`);
    expect(needsNewer).toEqual([]);
  });
});
