import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderOpenApiDocument } from "./buildOpenApiDocument";

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_FILE = "shared/contracts/openapi/openapi.json";

/** The repository root: the nearest folder up from here with a package.json (works from dist/ too). */
export function repositoryRoot(from: string = __dirname): string {
  let folder = from;
  while (!existsSync(join(folder, "package.json"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${from}`);
    folder = parent;
  }
  return folder;
}

/** `npm run openapi`: regenerates the committed OpenAPI document. */
if (require.main === module) {
  const target = join(repositoryRoot(), OPENAPI_FILE);
  writeFileSync(target, renderOpenApiDocument());
  console.log(`wrote ${target}`);
}
