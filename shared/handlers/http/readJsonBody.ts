import type { z } from "zod";
import type { ApiRequest } from "./apiTypes";
import { fieldProblem, problem, validationProblem } from "./problems";

/** docs/http-api.md: a body over 64 KiB is 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads and validates a JSON body: 415 unless the content type is JSON (`application/json`
 * or any `+json`), 413 over {@link MAX_BODY_BYTES}, 400 for malformed JSON, and 400 with
 * every field issue when the schema refuses it.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: ApiRequest,
  schema: S,
): Promise<z.output<S>> {
  const contentType =
    (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!/^application\/([a-z0-9.+-]+\+)?json$/.test(contentType)) {
    throw problem(415, "The request body must be JSON (Content-Type: application/json).");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) throw tooLarge();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fieldProblem("", "is not valid JSON", "request body");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw validationProblem(result.error, "request body");
  return result.data;
}

function tooLarge() {
  return problem(413, `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
}
