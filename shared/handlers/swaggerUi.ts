import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ApiHandler, ApiResponse } from "./http/apiTypes";
import { problem } from "./http/problems";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".png": "image/png",
  ".map": "application/json; charset=utf-8",
};

/** The files of swagger-ui-dist that the page needs; nothing else is served. */
const ASSETS = new Set([
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-32x32.png",
  "favicon-16x16.png",
  "index.css",
]);

export interface SwaggerUiDeps {
  /** URL of the OpenAPI document, relative to the docs folder (`…/docs/`). */
  readonly specUrl: string;
}

/**
 * GET /api/docs/{*path}: Swagger UI from the swagger-ui-dist package, no CDN. The page is
 * our own (it points the UI at our document); assets come from an allow-list, so the path
 * parameter can never walk out of the package directory.
 */
export function createSwaggerUiHandler(deps: SwaggerUiDeps): ApiHandler {
  // The package's main module evaluates the whole UI bundle (hundreds of ms at every cold
  // start); only the directory of its files is needed here.
  const root = path.dirname(require.resolve("swagger-ui-dist/package.json"));
  return async (request): Promise<ApiResponse> => {
    const asset = (request.params.path ?? "").replace(/^\/+/, "");
    if (asset === "") {
      const url = new URL(request.url);
      // Without the trailing slash, the page's relative URLs would resolve one level too
      // high; the relative Location keeps whatever prefix the gateway put in front.
      if (!url.pathname.endsWith("/")) return redirectToFolder(url);
    }
    if (asset === "" || asset === "index.html") {
      return {
        status: 200,
        headers: { "Content-Type": CONTENT_TYPES[".html"] as string },
        body: indexPage(deps.specUrl),
      };
    }
    if (!ASSETS.has(asset)) throw problem(404, "No such file.");
    const body = await readFile(path.join(root, asset));
    return {
      status: 200,
      headers: {
        "Content-Type": CONTENT_TYPES[path.extname(asset)] ?? "application/octet-stream",
        "Cache-Control": "public, max-age=86400",
      },
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    };
  };
}

function redirectToFolder(url: URL): ApiResponse {
  const folder = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  return {
    status: 302,
    headers: { Location: `${folder}/${url.search}` },
  };
}

/**
 * Every URL in the page is relative to the docs folder (no `<base>`), because behind API
 * Management the browser sees another path prefix than the one this function is called on.
 */
function indexPage(specUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Order API</title>
<link rel="stylesheet" href="swagger-ui.css">
<link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(specUrl)},
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});
</script>
</body>
</html>`;
}
