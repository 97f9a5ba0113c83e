/**
 * The Azure package holds the app and its production dependencies only. Runs the compiled
 * packager as `npm run package` does, then reads the zip back.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { open as openZip, type Entry } from "yauzl";
import { REPO_ROOT, toolPath } from "../repoRoot";

const run = promisify(execFile);

/** Packages the local runtime, the tools or the tests need; none may ship. */
const NOT_SHIPPED_PACKAGES = [
  "@order-processing/local-runtime",
  "@order-processing/tools",
  "azurite",
  "@vercel/cosmosdb-server",
  "selfsigned",
  "cron-parser",
  "autocannon",
  "jest",
  "ts-jest",
  "typescript",
  "eslint",
  "yazl",
];

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    openZip(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names: string[] = [];
      zip.on("entry", (entry: Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

let outDir: string;
let entries: string[];
let stagingDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), "app-package-"));
  const { stdout } = await run(
    process.execPath,
    [toolPath("deploy", "packageApp.js"), "--out", outDir],
    {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  // The size, as the pipeline log shows it: "<zip>: N MB, N files, N production packages".
  console.log(`npm run package → ${stdout.trim()}`);
  entries = await zipEntries(path.join(outDir, "app.zip"));
  stagingDir = path.join(outDir, "app");
}, 180_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it("holds host.json, the manifest and the compiled entry", () => {
  expect(entries).toEqual(
    expect.arrayContaining(["host.json", "package.json", "dist/functions/index.js"]),
  );
  const manifest = JSON.parse(
    readFileSync(path.join(stagingDir, "package.json"), "utf8"),
  ) as Record<string, unknown>;
  expect(manifest.main).toBe("dist/functions/index.js");
  expect(Object.keys(manifest)).not.toEqual(expect.arrayContaining(["devDependencies"]));
  for (const field of ["devDependencies", "workspaces", "scripts"])
    expect(manifest[field]).toBeUndefined();
});

it("holds the storefront's files and the SignalR browser client it serves", () => {
  expect(entries).toEqual(
    expect.arrayContaining([
      "storefront/index.html",
      "storefront/app.js",
      "storefront/style.css",
      "node_modules/@microsoft/signalr/dist/browser/signalr.min.js",
    ]),
  );
});

it("holds nothing of the local runtime, the tools, the tests or a test helper", () => {
  const outside = entries.filter(
    (name) =>
      !name.startsWith("node_modules/") &&
      !/^(dist\/(functions|shared)\/|storefront\/[\w-]+\.(html|css|js)$|host\.json$|package\.json$)/.test(
        name,
      ),
  );
  expect(outside).toEqual([]);
  const ownCode = entries.filter((name) => name.startsWith("dist/"));
  expect(
    ownCode.filter(
      (name) => /(^|\/)(testing|tests|infra|tools)\//.test(name) || /\.test\.js/.test(name),
    ),
  ).toEqual([]);
  const shippedPackages = new Set(
    entries
      .filter((name) => name.startsWith("node_modules/"))
      .map((name) => {
        const parts = name.split("/");
        return parts[1]!.startsWith("@") ? `${parts[1]}/${parts[2]}` : parts[1]!;
      }),
  );
  expect(NOT_SHIPPED_PACKAGES.filter((pkg) => shippedPackages.has(pkg))).toEqual([]);
});

it("resolves every package the compiled app requires from inside the package", () => {
  const unresolved: string[] = [];
  const builtins = new Set(builtinModules);
  for (const file of entries.filter((name) => name.startsWith("dist/") && name.endsWith(".js"))) {
    const absolute = path.join(stagingDir, file);
    const requireFrom = createRequire(absolute);
    for (const [, specifier] of readFileSync(absolute, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
      if (specifier!.startsWith(".") || specifier!.startsWith("node:") || builtins.has(specifier!))
        continue;
      let resolved: string;
      try {
        resolved = requireFrom.resolve(specifier!);
      } catch {
        unresolved.push(`${file}: ${specifier}`);
        continue;
      }
      if (!resolved.startsWith(stagingDir + path.sep))
        unresolved.push(`${file}: ${specifier} -> ${resolved}`);
    }
  }
  expect(unresolved).toEqual([]);
});
