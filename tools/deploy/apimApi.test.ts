import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderOpenApiDocument } from "../../shared/contracts/openapi/buildOpenApiDocument";
import { OPENAPI_FILE } from "../../shared/contracts/openapi/write";
import { HEADERS } from "../../shared/contracts/http/common";
import { REPO_ROOT, loadedFiles, readRepoFile, stripBicepComments } from "./bicepText";
import { GATEWAY_HEADERS } from "./gatewayHeaders";

const APIM_MODULE = "bicep/modules/apim.bicep";
const apimModule = stripBicepComments(readRepoFile(APIM_MODULE));
const committed = readFileSync(join(REPO_ROOT, OPENAPI_FILE), "utf8");

interface Operation {
  parameters?: { in: string; name: string }[];
  responses?: Record<string, { headers?: Record<string, unknown> }>;
}
const document = JSON.parse(committed) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.values(document.paths).flatMap((p) => Object.values(p));
const requestHeaders = new Set(
  operations.flatMap((op) =>
    (op.parameters ?? []).filter((p) => p.in === "header").map((p) => p.name),
  ),
);
const responseHeaders = new Set(
  operations.flatMap((op) =>
    Object.values(op.responses ?? {}).flatMap((r) => Object.keys(r.headers ?? {})),
  ),
);

describe("the APIM API", () => {
  it("imports the committed OpenAPI file as OpenAPI JSON", () => {
    expect(loadedFiles(APIM_MODULE)).toContain(OPENAPI_FILE);
    expect(apimModule).toMatch(/format: 'openapi\+json'/);
    expect(document.openapi).toMatch(/^3\./);
  });

  it("imports a file that is current (regenerate: npm run openapi)", () => {
    expect(committed).toBe(renderOpenApiDocument());
  });

  it("publishes each operation at the Function App's own route", () => {
    // Paths carry the /api prefix, so the API has no URL suffix and the backend no /api.
    expect(Object.keys(document.paths).every((p) => p.startsWith("/api/"))).toBe(true);
    expect(apimModule).toMatch(/^var apiPath = ''$/m);
    expect(apimModule).toMatch(
      /serviceUrl: 'https:\/\/\$\{functionApp\.properties\.defaultHostName\}'/,
    );
    expect(apimModule).toMatch(
      /output apiBaseUrl string = '\$\{apim\.properties\.gatewayUrl\}\/api'/,
    );
  });

  it("knows every header of the contract at the gateway", () => {
    const known = new Set(GATEWAY_HEADERS.map((h) => h.toLowerCase()));
    const contract = [...requestHeaders, ...responseHeaders];
    expect(contract.filter((h) => !known.has(h.toLowerCase()))).toEqual([]);
  });

  it("lets browsers send the client headers and read the response headers (CORS)", () => {
    const policy = readRepoFile("infra/apim/api-policy.xml");
    const section = (tag: string) => {
      const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(policy);
      return [...(match?.[1] ?? "").matchAll(/<header>([^<]+)<\/header>/g)].map((m) =>
        m[1]!.toLowerCase(),
      );
    };
    // X-Customer-Id and X-Roles come from the token, never from a browser.
    const fromClients = [...requestHeaders].filter(
      (h) => h !== HEADERS.customerId && h !== HEADERS.roles,
    );
    expect(
      fromClients.filter((h) => !section("allowed-headers").includes(h.toLowerCase())),
    ).toEqual([]);
    expect(
      [...responseHeaders].filter((h) => !section("expose-headers").includes(h.toLowerCase())),
    ).toEqual([]);
  });
});
