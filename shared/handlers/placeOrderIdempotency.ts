import { createHash } from "node:crypto";
import { HEADERS, IdempotencyKeySchema, PROBLEM_TYPES } from "../contracts";
import type { IdempotencyRecord, StoredResponse } from "../ports";
import type { ApiRequest, ApiResponse } from "./http/apiTypes";
import { JSON_CONTENT_TYPE, safeJson } from "./http/apiTypes";
import { singleHeader } from "./http/headers";
import { fieldProblem, problem } from "./http/problems";

/**
 * The `Idempotency-Key` side of placing an order: the key a request carries, the hash that
 * tells a retry from a different request under the same key, and the stored answer a retry
 * gets again.
 */

export function idempotencyKeyOf(request: ApiRequest): string | undefined {
  const raw = singleHeader(request, HEADERS.idempotencyKey);
  if (raw === null) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(raw);
  if (!parsed.success) {
    throw fieldProblem(
      HEADERS.idempotencyKey,
      "must be 1 to 100 printable ASCII characters",
      "headers",
    );
  }
  return parsed.data;
}

/** SHA-256 of the body with object keys sorted, so key order and whitespace do not matter. */
export function hashOf(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, entry]) => `${JSON.stringify(name)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function replay(record: IdempotencyRecord, requestHash: string): ApiResponse {
  if (record.requestHash !== requestHash) {
    throw problem(
      409,
      "This Idempotency-Key was already used with a different request body.",
      PROBLEM_TYPES.idempotencyConflict,
    );
  }
  return toApiResponse(record.response);
}

export function toApiResponse(stored: StoredResponse): ApiResponse {
  return {
    status: stored.status,
    headers: {
      "Content-Type": JSON_CONTENT_TYPE,
      "X-Content-Type-Options": "nosniff",
      ...stored.headers,
    },
    body: safeJson(stored.body),
  };
}
