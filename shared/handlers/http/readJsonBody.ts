import type { z } from "zod";
import type { ApiRequest } from "./apiTypes";
import { duplicateJsonKey } from "./duplicateJsonKey";
import { singleHeader } from "./headers";
import { fieldProblem, problem, validationProblem } from "./problems";

/** docs/http-api.md: a body over 64 KiB is 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/** `fatal`: malformed UTF-8 throws instead of becoming U+FFFD; a leading BOM is dropped. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads and validates a JSON body (docs/http-api.md "JSON bodies"): 400 for a repeated
 * Content-Type, 415 unless it is JSON (`application/json` or any `+json`) in UTF-8, 413 over
 * {@link MAX_BODY_BYTES}, 400 for bytes that are not UTF-8, for malformed JSON and for a
 * name repeated within one object, and 400 with every field issue when the schema refuses it.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: ApiRequest,
  schema: S,
): Promise<z.output<S>> {
  checkContentType(singleHeader(request, "Content-Type") ?? "");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw fieldProblem("", "is not valid UTF-8", "request body");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fieldProblem("", "is not valid JSON", "request body");
  }
  const duplicate = duplicateJsonKey(text);
  if (duplicate !== undefined) {
    throw fieldProblem(duplicate, "appears more than once in its object", "request body");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw validationProblem(result.error, "request body");
  return result.data;
}

/**
 * JSON is UTF-8 on the wire (RFC 8259 §8.1), and `application/json` defines no charset
 * parameter; one that names UTF-8 is tolerated, any other is refused rather than decoded
 * as UTF-8 and stored as replacement characters.
 */
function checkContentType(header: string): void {
  const [mediaType = "", ...parameters] = header.split(";");
  if (!/^application\/([a-z0-9.+-]+\+)?json$/.test(mediaType.trim().toLowerCase())) {
    throw problem(415, "The request body must be JSON (Content-Type: application/json).");
  }
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=", 2).map((part) => part.trim());
    if (name.toLowerCase() !== "charset") continue;
    if (value.replace(/^"(.*)"$/, "$1").toLowerCase() !== "utf-8") {
      throw problem(415, "The request body must be UTF-8 (charset=utf-8, or no charset).");
    }
  }
}

function tooLarge() {
  return problem(413, `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
}
