/**
 * Where this package's own files are, whether the caller runs from its TypeScript sources
 * (ts-jest) or from its compiled `dist/`: child processes always run the compiled files.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const PACKAGE_NAME = "@order-processing/local-runtime";

/** The package folder (the one holding this package's package.json). */
export function runtimeRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No ${PACKAGE_NAME} package.json above ${from}.`);
    dir = parent;
  }
}

/** A compiled file of this package: `runtimeDist("host", "main.js")`. `npm run build` makes it. */
export function runtimeDist(...segments: string[]): string {
  return path.join(runtimeRoot(), "dist", ...segments);
}

/** A source-tree file of this package (fixtures' host.json, say). */
export function runtimeSource(...segments: string[]): string {
  return path.join(runtimeRoot(), ...segments);
}
