import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ApiHandler, ApiResponse } from "./http/apiTypes";
import { problem } from "./http/problems";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
};

/** The SignalR browser client, served from its npm package as Swagger UI is (no CDN). */
const SIGNALR_BUNDLE = "signalr.min.js";

/**
 * The app's root: the folder holding host.json, whether this file runs compiled
 * (`dist/shared/handlers`) or from source under a test runner (`shared/handlers`).
 */
export function appRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "host.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No host.json above ${from}.`);
  }
}

export interface StorefrontDeps {
  /** Folder of the page's files; `<app root>/storefront` by default. */
  readonly directory?: string;
}

/**
 * GET /api/shop/{*path}: the storefront, plain files with no build step. Only the files the
 * folder holds at start-up (plus the SignalR bundle) are served, by name, so the path
 * parameter can never walk out of it. Every URL in the page is relative, so it works under
 * API Management's prefix as under `/api`.
 */
export function createStorefrontHandler(deps: StorefrontDeps = {}): ApiHandler {
  const directory = deps.directory ?? path.join(appRoot(), "storefront");
  const files = new Set(
    readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /^[\w-]+\.(html|css|js|svg)$/.test(entry.name))
      .map((entry) => entry.name),
  );
  const bundle = path.join(
    path.dirname(require.resolve("@microsoft/signalr/package.json")),
    "dist",
    "browser",
    SIGNALR_BUNDLE,
  );
  return async (request): Promise<ApiResponse> => {
    const asset = (request.params.path ?? "").replace(/^\/+/, "");
    if (asset === "") {
      const url = new URL(request.url);
      if (!url.pathname.endsWith("/")) {
        // Relative URLs in the page resolve against the folder, so it needs the slash.
        const folder = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
        return { status: 302, headers: { Location: `${folder}/${url.search}` } };
      }
    }
    const name = asset === "" ? "index.html" : asset;
    const file =
      name === SIGNALR_BUNDLE ? bundle : files.has(name) ? path.join(directory, name) : undefined;
    if (file === undefined) throw problem(404, "No such file.");
    const body = await readFile(file);
    return {
      status: 200,
      headers: {
        "Content-Type": CONTENT_TYPES[path.extname(name)] ?? "application/octet-stream",
        // The page changes with the app; revalidate rather than cache it for a day.
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
      },
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    };
  };
}
