/**
 * The repository root (the package.json that declares the workspaces), found from this file
 * whether it runs from source (ts-jest) or compiled (tools/dist/tools/...).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

function findRepoRoot(from: string): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { workspaces?: unknown };
      if (pkg.workspaces !== undefined) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No workspace root package.json above ${from}.`);
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);

/** A compiled tool: `toolPath("ops", "dlq.js")` is tools/dist/tools/ops/dlq.js. */
export function toolPath(...segments: string[]): string {
  return path.join(REPO_ROOT, "tools", "dist", "tools", ...segments);
}
