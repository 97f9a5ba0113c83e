import type { ApiHandler } from "./http/apiTypes";
import { jsonResponse } from "./http/apiTypes";

export interface OpenApiDeps {
  /** Builds the OpenAPI 3.1 document from the contracts' zod schemas. */
  readonly buildDocument: () => unknown;
}

/** GET /api/openapi.json; the document is built once, on first request. */
export function createOpenApiHandler(deps: OpenApiDeps): ApiHandler {
  let body: string | undefined;
  return () => {
    body ??= JSON.stringify(deps.buildDocument());
    return Promise.resolve({
      ...jsonResponse(200, null, { "Cache-Control": "public, max-age=300" }),
      body,
    });
  };
}
