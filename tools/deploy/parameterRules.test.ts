import {
  bicepModules,
  bicepObjectVariable,
  bicepParamDecorators,
  bicepParamDefault,
  bicepParams,
  bicepVarLine,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";

const MAIN = readRepoFile("bicep/main.bicep");
const PARAM_FILES = ["bicep/dev.bicepparam", "bicep/prod.bicepparam"];

/** `param <name> = <value>` lines of a parameter file. */
function paramFileValues(file: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const m of readRepoFile(file).matchAll(/^param\s+(\w+)\s*=\s*(.+)$/gm)) {
    values.set(m[1]!, m[2]!.trim());
  }
  return values;
}

/** The value main.bicep passes to a module parameter. */
function moduleArgument(module: string, param: string): string | undefined {
  return bicepModules(MAIN)
    .find((m) => m.symbol === module)
    ?.params.get(param);
}

describe("parameter rules", () => {
  // readEnvironmentVariable() returns its default only when the variable is absent; GitHub
  // passes an unset repository variable as an empty string (learn.microsoft.com/azure/
  // azure-resource-manager/bicep/bicep-functions-parameters-file).
  it("turns an empty CORS origin into '*' before it becomes an APIM named value", () => {
    expect(bicepVarLine(MAIN, "corsOrigin")).toBe(
      "empty(trim(corsAllowedOrigin)) ? '*' : trim(corsAllowedOrigin)",
    );
    expect(moduleArgument("apim", "corsAllowedOrigin")).toBe("corsOrigin");
    // No other value reaches a module straight from the parameter.
    expect(stripBicepComments(MAIN)).not.toMatch(/:\s*corsAllowedOrigin\b/);
    const apimNamedValues = bicepObjectVariable(
      readRepoFile("bicep/modules/apim.bicep"),
      "namedValues",
    );
    expect(apimNamedValues.get("cors-allowed-origin")).toBe("corsAllowedOrigin");
    expect(paramFileValues("bicep/prod.bicepparam").get("corsAllowedOrigin")).toBe(
      "readEnvironmentVariable('API_CORS_ORIGIN', '')",
    );
  });

  it.each(PARAM_FILES)(
    "%s: every string read from a required environment variable must be non-empty in main.bicep",
    (file) => {
      const fromEnvironment = [...paramFileValues(file)]
        .filter(([, value]) => /^readEnvironmentVariable\('[A-Z0-9_]+'\)$/.test(value))
        .map(([name]) => name);
      expect(fromEnvironment.length).toBeGreaterThanOrEqual(5);
      for (const name of fromEnvironment) {
        const minLength = Number(bicepParamDecorators(MAIN, name).get("minLength") ?? "0");
        expect({ name, minLength: minLength >= 1 }).toEqual({ name, minLength: true });
      }
    },
  );

  // "The lowest maximum scale is currently 40. The highest currently supported value is
  // 1000." (learn.microsoft.com/azure/azure-functions/flex-consumption-plan, Considerations)
  it("keeps the Flex Consumption maximum instance count within 40..1000", () => {
    const decorators = bicepParamDecorators(MAIN, "functionMaximumInstanceCount");
    expect(decorators.get("minValue")).toBe("40");
    expect(decorators.get("maxValue")).toBe("1000");
    const moduleText = readRepoFile("bicep/modules/functionapp.bicep");
    const inModule = bicepParamDecorators(moduleText, "maximumInstanceCount");
    expect(inModule.get("minValue")).toBe("40");
    expect(inModule.get("maxValue")).toBe("1000");
    const values = [
      Number(bicepParamDefault(MAIN, "functionMaximumInstanceCount")),
      ...PARAM_FILES.map((f) => Number(paramFileValues(f).get("functionMaximumInstanceCount"))),
    ];
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(40);
      expect(value).toBeLessThanOrEqual(1000);
    }
  });

  it("declares every parameter a parameter file reads, with a description", () => {
    const declared = bicepParams(MAIN);
    for (const file of PARAM_FILES) {
      for (const name of paramFileValues(file).keys()) {
        expect(declared.has(name)).toBe(true);
        expect({ name, description: bicepParamDecorators(MAIN, name).has("description") }).toEqual({
          name,
          description: true,
        });
      }
    }
  });
});
