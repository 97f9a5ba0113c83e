import { readdirSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { HEADERS } from "../../shared/contracts/http/common";
import {
  REPO_ROOT,
  bicepModules,
  bicepObjectVariable,
  bicepResourceBody,
  bicepStringLiteral,
  loadedFiles,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";
import { CORRELATION_ID_HEADER, GATEWAY_HEADERS } from "./gatewayHeaders";

const APIM_MODULE = "bicep/modules/apim.bicep";
const POLICY_DIR = "infra/apim";
const RATE_LIMIT_MARKER = "<!-- RATE_LIMIT -->";

const policyFiles = readdirSync(join(REPO_ROOT, POLICY_DIR))
  .filter((f) => f.endsWith(".xml"))
  .map((f) => `${POLICY_DIR}/${f}`);

const apimModule = stripBicepComments(readRepoFile(APIM_MODULE));

/** Named values the APIM module declares: the plain ones plus the Key Vault-backed key. */
function declaredNamedValues(): Set<string> {
  const names = new Set(bicepObjectVariable(readRepoFile(APIM_MODULE), "namedValues").keys());
  const keyVaultBacked = /^var functionKeySecretName = (.+)$/m.exec(apimModule);
  const keyName = keyVaultBacked ? bicepStringLiteral(keyVaultBacked[1]!) : undefined;
  if (keyName === undefined) throw new Error("functionKeySecretName literal not found");
  names.add(keyName);
  return names;
}

/** The policy as the module composes it for a SKU (see apim.bicep, var apiPolicy). */
function composedPolicy(sku: "Consumption" | "BasicV2"): string {
  const base = readRepoFile(`${POLICY_DIR}/api-policy.xml`);
  const rateLimit =
    sku === "Consumption" ? "" : readRepoFile(`${POLICY_DIR}/rate-limit-by-subscriber.xml`);
  return base.replace(RATE_LIMIT_MARKER, rateLimit);
}

function namedValuesIn(xml: string): string[] {
  return [...xml.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]!);
}

/** Header names a policy touches: set-header/check-header names, CORS lists, expression lookups. */
function headersIn(xml: string): string[] {
  const found: string[] = [];
  for (const m of xml.matchAll(/<(?:set-header|check-header)\s+name="([^"]+)"/g)) found.push(m[1]!);
  for (const m of xml.matchAll(/<header>([^<]+)<\/header>/g)) found.push(m[1]!.trim());
  for (const m of xml.matchAll(/header-name="([^"]+)"/g)) found.push(m[1]!);
  for (const m of xml.matchAll(/Headers\.GetValueOrDefault\((?:"|&quot;)([^"&]+)(?:"|&quot;)/g))
    found.push(m[1]!);
  return found;
}

describe("APIM policies", () => {
  it("the policy folder holds the files the module loads", () => {
    expect(policyFiles.sort()).toEqual([
      "infra/apim/api-policy.xml",
      "infra/apim/rate-limit-by-subscriber.xml",
      "infra/apim/storefront-policy.xml",
    ]);
    const loaded = loadedFiles(APIM_MODULE);
    for (const file of policyFiles) expect(loaded).toContain(file);
  });

  it.each(policyFiles)("%s is well-formed XML", (file) => {
    expect(XMLValidator.validate(readRepoFile(file))).toBe(true);
  });

  it.each(["Consumption", "BasicV2"] as const)("the composed %s policy is well-formed", (sku) => {
    expect(apimModule).toContain(`'${RATE_LIMIT_MARKER}'`);
    expect(readRepoFile(`${POLICY_DIR}/api-policy.xml`)).toContain(RATE_LIMIT_MARKER);
    const xml = composedPolicy(sku);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["policies"]);
    expect(xml.includes("<rate-limit-by-key")).toBe(sku !== "Consumption");
  });

  it("names only named values the module declares, and uses every one", () => {
    const declared = declaredNamedValues();
    const used = new Set(policyFiles.flatMap((f) => namedValuesIn(readRepoFile(f))));
    expect([...used].filter((n) => !declared.has(n))).toEqual([]);
    expect([...declared].filter((n) => !used.has(n))).toEqual([]);
  });

  it("names only headers the API and the gateway know", () => {
    const known = new Set(GATEWAY_HEADERS.map((h) => h.toLowerCase()));
    const named = policyFiles.flatMap((f) => headersIn(readRepoFile(f)));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((h) => !known.has(h.toLowerCase()))).toEqual([]);
  });

  it("replaces the identity headers from the token and injects the function key", () => {
    const xml = readRepoFile(`${POLICY_DIR}/api-policy.xml`);
    for (const header of [HEADERS.customerId, HEADERS.roles]) {
      const deleteAt = xml.indexOf(`<set-header name="${header}" exists-action="delete" />`);
      const setAt = xml.indexOf(`<set-header name="${header}" exists-action="override">`);
      expect(deleteAt).toBeGreaterThan(xml.indexOf("</validate-jwt>"));
      expect(setAt).toBeGreaterThan(deleteAt);
    }
    expect(xml).toMatch(/AsJwt\(\)\.Subject/);
    expect(xml).toMatch(/Claims\.GetValueOrDefault\("roles", ""\)/);
    expect(xml).toMatch(
      /<set-header name="x-functions-key" exists-action="override">\s*<value>\{\{function-host-key\}\}<\/value>/,
    );
    expect(xml).toContain(`<set-header name="${CORRELATION_ID_HEADER}" exists-action="override">`);
    expect(xml).toMatch(/<issuer>\{\{jwt-issuer\}\}<\/issuer>/);
  });

  // "aud ... In v2.0 tokens, this value is always the client ID of the API. In v1.0 tokens, it
  // can be the client ID or the resource URI used in the request."
  // (learn.microsoft.com/entra/identity-platform/access-token-claims-reference)
  it("accepts both audience forms: the client id (v2.0 tokens) and the Application ID URI", () => {
    const xml = readRepoFile(`${POLICY_DIR}/api-policy.xml`);
    const audiences = /<audiences>([\s\S]*?)<\/audiences>/.exec(xml)?.[1] ?? "";
    const listed = [...audiences.matchAll(/<audience>([^<]+)<\/audience>/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(["{{jwt-audience}}", "{{jwt-client-id}}"]);
    const namedValues = bicepObjectVariable(readRepoFile(APIM_MODULE), "namedValues");
    expect(namedValues.get("jwt-audience")).toBe("jwtAudience");
    expect(namedValues.get("jwt-client-id")).toBe("jwtClientId");
    const main = readRepoFile("bicep/main.bicep");
    const apim = bicepModules(main).find((m) => m.symbol === "apim")!;
    expect(apim.params.get("jwtAudience")).toBe("jwtAudience");
    expect(apim.params.get("jwtClientId")).toBe("jwtClientId");
    for (const file of ["bicep/dev.bicepparam", "bicep/prod.bicepparam"]) {
      expect(readRepoFile(file)).toMatch(
        /^param jwtClientId = readEnvironmentVariable\('API_CLIENT_ID'\)$/m,
      );
    }
  });

  it("serves the storefront without a token at <gateway>/api/shop/, with the function key", () => {
    const xml = readRepoFile(`${POLICY_DIR}/storefront-policy.xml`);
    expect(xml).not.toContain("<validate-jwt");
    expect(xml).toMatch(
      /<set-header name="x-functions-key" exists-action="override">\s*<value>\{\{function-host-key\}\}<\/value>/,
    );
    expect(apimModule).toMatch(/path: 'api\/shop'/);
    expect(apimModule).toMatch(
      /serviceUrl: 'https:\/\/\$\{functionApp\.properties\.defaultHostName\}\/api\/shop'/,
    );
  });

  it("backs the function key named value with Key Vault", () => {
    expect(apimModule).toMatch(/secret: true\s+keyVault: \{\s+secretIdentifier:/);
  });

  // The keys API is answered by the Functions host, which has nothing to run before the
  // package is deployed (Azure/bicep-types-az#1356): the key is copied after the package
  // deploy (tools/deploy/functionKey.sh handoff, run by the workflow).
  it("never reads the Function App's keys during the deployment", () => {
    for (const file of ["bicep/main.bicep", APIM_MODULE, "bicep/modules/functionapp.bicep"]) {
      expect(stripBicepComments(readRepoFile(file))).not.toMatch(
        /listKeys|listSecrets|sites\/host/,
      );
    }
  });

  it("writes only a placeholder, and only while the secret does not exist", () => {
    const placeholder = bicepResourceBody(
      readRepoFile(APIM_MODULE),
      "functionKeyPlaceholderSecret",
    );
    expect(placeholder).toMatch(/= if \(!functionKeySecretExists\) \{/);
    expect(placeholder).toMatch(/value: functionKeyPlaceholder\b/);
    expect(apimModule).toMatch(/^param functionKeyPlaceholder string = newGuid\(\)$/m);
    // The named value and APIM's read right wait for the secret on a first deployment.
    const readRight = bicepResourceBody(readRepoFile(APIM_MODULE), "apimReadsFunctionKey");
    expect(readRight).toMatch(/dependsOn: \[\s*functionKeyPlaceholderSecret\s*\]/);
    const main = bicepModules(readRepoFile("bicep/main.bicep")).find((m) => m.symbol === "apim")!;
    expect(main.params.get("functionKeySecretExists")).toBe("functionKeySecretExists");
    for (const file of ["bicep/dev.bicepparam", "bicep/prod.bicepparam"]) {
      expect(readRepoFile(file)).toContain(
        "param functionKeySecretExists = bool(readEnvironmentVariable('FUNCTION_KEY_SECRET_EXISTS', 'false'))",
      );
    }
  });
});
