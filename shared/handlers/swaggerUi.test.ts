import { ProblemResponse } from "./http/problems";
import { createSwaggerUiHandler } from "./swaggerUi";
import { apiRequest } from "./testing/apiTestbed";

const handler = createSwaggerUiHandler({ specUrl: "../openapi.json" });

function get(url: string, assetPath?: string) {
  return handler({
    ...apiRequest(),
    url,
    params: assetPath === undefined ? {} : { path: assetPath },
  });
}

describe("createSwaggerUiHandler", () => {
  it.each([
    ["http://localhost/api/docs", "docs/"],
    ["https://gateway.example/orders/v1/docs?code=k", "docs/?code=k"],
  ])("redirects %s to the folder with a relative Location", async (url, location) => {
    const response = await get(url);
    expect(response.status).toBe(302);
    expect(response.headers?.Location).toBe(location);
  });

  it.each([
    ["http://localhost/api/docs/", undefined],
    ["https://gateway.example/orders/v1/docs/index.html", "index.html"],
  ])("serves the page at %s with relative URLs only", async (url, assetPath) => {
    const response = await get(url, assetPath);
    expect(response.status).toBe(200);
    const page = String(response.body);
    expect(page).not.toContain("<base");
    expect(page).toContain('href="swagger-ui.css"');
    expect(page).toContain('src="swagger-ui-bundle.js"');
    expect(page).toContain('url: "../openapi.json"');
    expect(page).not.toMatch(/(href|src)="\//);
  });

  it("serves an allowed asset", async () => {
    const response = await get("http://localhost/api/docs/swagger-ui.css", "swagger-ui.css");
    expect(response.status).toBe(200);
    expect(response.headers?.["Content-Type"]).toContain("text/css");
  });

  it.each(["../../package.json", "..%2F..%2Fpackage.json", "/etc/passwd", "index.js"])(
    "refuses %s with 404",
    async (assetPath) => {
      const refused = get(`http://localhost/api/docs/${assetPath}`, assetPath);
      await expect(refused).rejects.toBeInstanceOf(ProblemResponse);
      await expect(refused).rejects.toMatchObject({ problem: { status: 404 } });
    },
  );
});
