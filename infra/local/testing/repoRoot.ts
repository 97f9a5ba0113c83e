/** The repository root, found from this file whether it runs from source (ts-jest) or `dist/`. */
import { existsSync } from "node:fs";
import path from "node:path";

export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, "package.json")) && path.basename(dir) !== "dist") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}.`);
    dir = parent;
  }
}
