import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildOpenApiDocument, renderOpenApiDocument } from "./buildOpenApiDocument";
import { OPENAPI_FILE, repositoryRoot } from "./write";

/** Every route of docs/http-api.md with the statuses it documents. */
const ROUTES: [method: string, path: string, statuses: string[]][] = [
  ["post", "/api/orders", ["202", "400", "401", "409", "413", "415", "422"]],
  ["get", "/api/orders", ["200", "400", "401"]],
  ["get", "/api/orders/{orderId}", ["200", "401", "404"]],
  ["post", "/api/orders/{orderId}/cancel", ["202", "401", "404", "409"]],
  ["post", "/api/orders/{orderId}/ship", ["202", "401", "403", "404", "409"]],
  ["post", "/api/orders/{orderId}/deliver", ["202", "401", "403", "404", "409"]],
  ["get", "/api/products", ["200", "400"]],
  ["get", "/api/products/{sku}", ["200", "400", "404"]],
  ["put", "/api/inventory/{sku}", ["200", "400", "401", "403", "404", "413", "415", "422"]],
  ["get", "/api/health", ["200", "503"]],
  ["get", "/api/openapi.json", ["200"]],
  ["get", "/api/docs", ["200"]],
  ["post", "/api/negotiate", ["200", "401"]],
];

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

const document = buildOpenApiDocument();
const operation = (method: string, path: string) =>
  (document.paths?.[path] as Record<string, Operation> | undefined)?.[method];

describe("the OpenAPI document", () => {
  it("matches the committed openapi.json (run `npm run openapi` if this fails)", () => {
    const committed = readFileSync(join(repositoryRoot(), OPENAPI_FILE), "utf8");
    const fresh = renderOpenApiDocument();
    if (committed !== fresh) {
      throw new Error(`${OPENAPI_FILE} is stale: run \`npm run openapi\` and commit the result`);
    }
  });

  it("is OpenAPI 3.1", () => {
    expect(document.openapi).toBe("3.1.0");
  });

  it.each(ROUTES)("documents %s %s with its responses", (method, path, statuses) => {
    expect(Object.keys(operation(method, path)?.responses ?? {}).sort()).toEqual(
      [...statuses].sort(),
    );
  });

  it("documents no route that docs/http-api.md lacks", () => {
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
  });

  it("answers every error of the API with a problem+json ProblemDetails", () => {
    for (const [method, path] of ROUTES) {
      for (const [status, response] of Object.entries(operation(method, path)?.responses ?? {})) {
        if (Number(status) < 400 || path === "/api/health") continue;
        expect([
          method,
          path,
          status,
          response.content?.["application/problem+json"]?.schema,
        ]).toEqual([method, path, status, { $ref: "#/components/schemas/ProblemDetails" }]);
      }
    }
  });

  it("documents the identity and idempotency headers and the path parameters", () => {
    const parameters = (method: string, path: string) =>
      (operation(method, path)?.parameters ?? []).map(
        (p) => `${p.in}:${p.name}${p.required ? "*" : ""}`,
      );
    expect(parameters("post", "/api/orders")).toEqual([
      "header:Idempotency-Key",
      "header:X-Customer-Id*",
    ]);
    expect(parameters("put", "/api/inventory/{sku}")).toEqual(
      expect.arrayContaining(["path:sku*", "header:X-Roles*"]),
    );
    expect(parameters("get", "/api/orders")).toEqual(
      expect.arrayContaining([
        "query:status",
        "query:limit",
        "query:continuationToken",
        "header:X-Customer-Id*",
      ]),
    );
  });

  it("documents the bearer JWT and function key schemes", () => {
    const schemes = buildOpenApiDocument().components?.securitySchemes;
    expect(schemes).toMatchObject({
      bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      functionKey: { type: "apiKey", in: "header", name: "x-functions-key" },
    });
  });

  it("documents the correlation id echoed by POST /api/orders", () => {
    const accepted = buildOpenApiDocument().paths?.["/api/orders"]?.post?.responses?.["202"];
    expect(Object.keys((accepted as { headers?: object }).headers ?? {})).toContain(
      "x-correlation-id",
    );
  });

  it("never documents the payment token in a response", () => {
    expect(JSON.stringify(document.components?.schemas?.Order)).not.toContain("token");
  });

  it("is the same every time it is built", () => {
    expect(renderOpenApiDocument()).toBe(renderOpenApiDocument());
  });
});
