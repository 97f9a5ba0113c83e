/**
 * The operations routes over HTTP through the local Functions host: health with every
 * dependency up, the OpenAPI document and the Swagger UI served from the package.
 */
import { expectProblem } from "../tests/support/expectProblem";
import { useTestStack } from "../tests/support/useTestStack";

// The API's functions alone: these cases are about the answers, not the orders' journey.
const { api } = useTestStack({ apiOnly: true, failOnServerError: true });

describe("catalog and operations", () => {
  it("GET /api/health is 200 with every check ok", async () => {
    const health = await api.call("/health");
    expect(health.status).toBe(200);
    expect(health.json).toEqual({
      status: "ok",
      checks: { cosmos: { status: "ok" }, serviceBus: { status: "ok" }, storage: { status: "ok" } },
    });
  });

  it("serves the OpenAPI document and Swagger UI from the package", async () => {
    const doc = await api.call("/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toMatch(/^3\.1/);
    const redirect = await api.call("/docs", { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("docs/");
    const page = await api.call("/docs");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("<base");
    expect(page.text).toContain("swagger-ui-bundle.js");
    const bundle = await api.call("/docs/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.text.length).toBeGreaterThan(1000);
    expectProblem(await api.call("/docs/..%2F..%2Fpackage.json"), 404);
  });
});
