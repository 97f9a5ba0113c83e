/**
 * `npm run package [-- --out DIR]`: the zip that Azure runs, and nothing else. It holds the
 * compiled app (dist/functions, dist/shared), host.json, the storefront's static files
 * (storefront/), a package.json with only what the
 * Functions host reads (name, version, main, engines, dependencies) and the app's production
 * dependencies exactly as `npm ci` installed them. The local runtime, the tools, the tests
 * and every test helper stay out: they are other workspace packages or are never compiled
 * into dist/. The pipeline deploys this file with `az functionapp deployment source
 * config-zip`. Run after `npm run build` (the npm script builds first).
 */
import { execFileSync } from "node:child_process";
import {
  createWriteStream,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ZipFile } from "yazl";
import { REPO_ROOT } from "../repoRoot";

/** The package.json fields the Functions host and Node read; scripts and dev tooling stay home. */
/** The storefront page's files, shipped as they are (no build step). */
export const STOREFRONT_DIR = "storefront";

const MANIFEST_FIELDS = [
  "name",
  "version",
  "description",
  "license",
  "main",
  "engines",
  "dependencies",
];

export interface PackageAppOptions {
  /** Where app.zip (and the staging folder beside it) go; `.package/` by default. */
  readonly outDir?: string;
}

export interface PackagedApp {
  readonly zipFile: string;
  readonly stagingDir: string;
  readonly bytes: number;
  readonly files: number;
  /** Production dependencies (package folders) it carries. */
  readonly dependencies: readonly string[];
}

/** Package folders of the app's production dependency tree, as npm resolved them. */
function productionDependencyFolders(): string[] {
  // npm walks the installed tree from the root package only (--workspaces=false), keeping
  // production edges (--omit=dev); the first line is the root itself.
  const out = execFileSync(
    "npm",
    ["ls", "--omit=dev", "--all", "--parseable", "--workspaces=false"],
    { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const folders = out
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && line !== REPO_ROOT);
  for (const folder of folders) {
    if (!folder.startsWith(path.join(REPO_ROOT, "node_modules") + path.sep))
      throw new Error(`Production dependency outside node_modules: ${folder}. Run npm ci first.`);
  }
  return [...new Set(folders)];
}

function copyPackageFolder(from: string, to: string): void {
  // Nested node_modules are dependencies of their own, copied when npm lists them; a folder
  // npm left out (a dev-only nested package) must not ride along.
  cpSync(from, to, {
    recursive: true,
    dereference: true,
    filter: (source) =>
      source === from || !source.slice(from.length).split(path.sep).includes("node_modules"),
  });
}

function* filesUnder(dir: string, prefix = ""): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* filesUnder(path.join(dir, entry.name), rel);
    else if (entry.isFile()) yield rel;
  }
}

async function zipFolder(dir: string, zipFile: string): Promise<number> {
  const zip = new ZipFile();
  let files = 0;
  for (const rel of [...filesUnder(dir)].sort()) {
    const stat = statSync(path.join(dir, rel));
    // A fixed time keeps the zip the same for the same inputs.
    zip.addFile(path.join(dir, rel), rel, {
      mtime: new Date(Date.UTC(2020, 0, 1)),
      mode: stat.mode,
    });
    files += 1;
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(zipFile);
    out.on("close", () => resolve());
    out.on("error", reject);
    zip.outputStream.on("error", reject).pipe(out);
  });
  return files;
}

export async function packageApp(options: PackageAppOptions = {}): Promise<PackagedApp> {
  const outDir = path.resolve(options.outDir ?? path.join(REPO_ROOT, ".package"));
  const stagingDir = path.join(outDir, "app");
  const zipFile = path.join(outDir, "app.zip");
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const main = String(manifest.main);
  if (!existsSync(path.join(REPO_ROOT, main)))
    throw new Error(`${main} does not exist: run npm run build first.`);

  rmSync(stagingDir, { recursive: true, force: true });
  rmSync(zipFile, { force: true });
  mkdirSync(stagingDir, { recursive: true });
  for (const folder of ["functions", "shared"]) {
    cpSync(path.join(REPO_ROOT, "dist", folder), path.join(stagingDir, "dist", folder), {
      recursive: true,
    });
  }
  cpSync(path.join(REPO_ROOT, "host.json"), path.join(stagingDir, "host.json"));
  // The storefront's static files, served by the app (shared/handlers/storefront.ts finds them
  // beside host.json); tsc does not copy them into dist/.
  cpSync(path.join(REPO_ROOT, STOREFRONT_DIR), path.join(stagingDir, STOREFRONT_DIR), {
    recursive: true,
  });
  const shipped = Object.fromEntries(
    MANIFEST_FIELDS.filter((field) => manifest[field] !== undefined).map((field) => [
      field,
      manifest[field],
    ]),
  );
  writeFileSync(path.join(stagingDir, "package.json"), JSON.stringify(shipped, null, 2) + "\n");

  const dependencies = productionDependencyFolders();
  for (const folder of dependencies) {
    copyPackageFolder(folder, path.join(stagingDir, path.relative(REPO_ROOT, folder)));
  }
  const files = await zipFolder(stagingDir, zipFile);
  return {
    zipFile,
    stagingDir,
    bytes: statSync(zipFile).size,
    files,
    dependencies: dependencies.map((folder) =>
      path.relative(path.join(REPO_ROOT, "node_modules"), folder),
    ),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const packaged = await packageApp(values.out === undefined ? {} : { outDir: values.out });
  const mb = (packaged.bytes / 1024 / 1024).toFixed(1);
  console.log(
    `${path.relative(process.cwd(), packaged.zipFile) || packaged.zipFile}: ${mb} MB, ${packaged.files} files, ${packaged.dependencies.length} production packages`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`npm run package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
