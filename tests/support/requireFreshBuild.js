/**
 * Jest global set-up: refuses to run when any compiled file is missing or older than its
 * TypeScript source. Tests start the local host and the tools from the compiled output
 * (as npm start and Azure do), so stale output would test code that no longer exists.
 * `npm test` builds first; run `npm run build` before calling jest directly.
 */
const { readdirSync, statSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");

/** Each package: its source folders, and where a source file's compiled twin lives. */
const packages = [
  {
    sources: ["functions", "shared"],
    compiled: (rel) => path.join(root, "dist", rel),
    skip: (rel) => rel.split(path.sep).includes("testing"),
  },
  {
    sources: ["infra/local"],
    compiled: (rel) => path.join(root, "infra/local/dist", path.relative("infra/local", rel)),
    skip: () => false,
  },
  {
    sources: ["tools"],
    compiled: (rel) => path.join(root, "tools/dist", rel),
    skip: () => false,
  },
];

function* typeScriptSources(dir) {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules" || entry.name === "dist") continue;
      yield* typeScriptSources(rel);
    } else if (
      entry.name.endsWith(".ts") &&
      !entry.name.endsWith(".test.ts") &&
      !entry.name.endsWith(".d.ts")
    ) {
      yield rel;
    }
  }
}

module.exports = function requireFreshBuild() {
  const stale = [];
  for (const pkg of packages) {
    for (const dir of pkg.sources) {
      for (const rel of typeScriptSources(dir)) {
        if (pkg.skip(rel)) continue;
        const output = pkg.compiled(rel).replace(/\.ts$/, ".js");
        const out = statSync(output, { throwIfNoEntry: false });
        if (out === undefined || out.mtimeMs < statSync(path.join(root, rel)).mtimeMs) {
          stale.push(`${rel} -> ${path.relative(root, output)}${out ? " (older)" : " (missing)"}`);
        }
      }
    }
  }
  if (stale.length > 0) {
    throw new Error(
      `Compiled output is missing or older than its source; run npm run build (npm test builds first).\n  ${stale.slice(0, 10).join("\n  ")}${stale.length > 10 ? `\n  … and ${stale.length - 10} more` : ""}`,
    );
  }
};
