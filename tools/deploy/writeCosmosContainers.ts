import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { COSMOS_CONTAINERS_JSON_PATH, cosmosContainersDocument } from "./cosmosContainersDocument";

// Regenerates bicep/cosmos-containers.json from shared/config/names.ts:
//   npm run bicep:containers
// Run from the repository root (npm does).
const target = join(process.cwd(), COSMOS_CONTAINERS_JSON_PATH);
writeFileSync(target, `${JSON.stringify(cosmosContainersDocument(), null, 2)}\n`);
console.log(`wrote ${COSMOS_CONTAINERS_JSON_PATH}`);
