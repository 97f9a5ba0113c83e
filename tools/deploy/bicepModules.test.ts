import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  REPO_ROOT,
  bicepModules,
  bicepOutputs,
  bicepParams,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";

// What the Bicep compiler would reject first, checked from the text because the compiler is
// not installable here: a module that does not exist, a required parameter left out, an
// unknown parameter passed, an output read that the module does not declare.

const MAIN = "bicep/main.bicep";
const main = readRepoFile(MAIN);
const modules = bicepModules(main);

describe("main.bicep and its modules", () => {
  it("uses a module per resource family", () => {
    expect(modules.map((m) => m.symbol).sort()).toEqual(
      [
        "alerts",
        "apim",
        "communication",
        "cosmos",
        "durableTask",
        "functionApp",
        "identity",
        "keyVault",
        "monitoring",
        "network",
        "roles",
        "serviceBus",
        "signalR",
        "storage",
        "workbook",
      ].sort(),
    );
  });

  it.each(modules.map((m) => [m.symbol, m] as const))(
    "%s: the module exists and gets exactly its parameters",
    (_, m) => {
      const file = join(dirname(MAIN), m.path);
      expect(existsSync(join(REPO_ROOT, file))).toBe(true);
      const declared = bicepParams(readRepoFile(file));
      const required = [...declared].filter(([, hasDefault]) => !hasDefault).map(([name]) => name);
      expect(required.filter((name) => !m.params.has(name))).toEqual([]);
      expect([...m.params.keys()].filter((name) => !declared.has(name))).toEqual([]);
    },
  );

  it.each(modules.map((m) => [m.symbol, m] as const))(
    "%s: every output read from it is declared",
    (_, m) => {
      const outputs = bicepOutputs(readRepoFile(join(dirname(MAIN), m.path)));
      const read = [
        ...stripBicepComments(main).matchAll(new RegExp(`\\b${m.symbol}\\.outputs\\.(\\w+)`, "g")),
      ].map((r) => r[1]!);
      expect(read.filter((name) => !outputs.has(name))).toEqual([]);
    },
  );

  it.each(["bicep/dev.bicepparam", "bicep/prod.bicepparam"])(
    "%s sets only parameters main.bicep declares, and every required one",
    (file) => {
      const text = readRepoFile(file);
      expect(text).toMatch(/^using '\.\/main\.bicep'$/m);
      const declared = bicepParams(main);
      const set = [...text.matchAll(/^param\s+(\w+)\s*=/gm)].map((m) => m[1]!);
      expect(set.filter((name) => !declared.has(name))).toEqual([]);
      const required = [...declared].filter(([, hasDefault]) => !hasDefault).map(([name]) => name);
      expect(required.filter((name) => !set.includes(name))).toEqual([]);
    },
  );

  it("every module declares each parameter once and uses it", () => {
    for (const m of modules) {
      const text = stripBicepComments(readRepoFile(join(dirname(MAIN), m.path)));
      for (const name of bicepParams(text).keys()) {
        const uses = text.match(new RegExp(`\\b${name}\\b`, "g"))?.length ?? 0;
        expect({ module: m.path, param: name, used: uses > 1 }).toEqual({
          module: m.path,
          param: name,
          used: true,
        });
      }
    }
  });
});
