/**
 * The slice of an HTTP request the handlers read. `@azure/functions` HttpRequest satisfies
 * it as is, and so does a plain object in tests; handlers never see the Functions types.
 */
export interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body's bytes as sent: readJsonBody decodes them itself, refusing malformed UTF-8. */
  arrayBuffer(): Promise<ArrayBuffer>;
  /**
   * Who is calling, when the API's identity step (authenticate.ts) established it; without
   * it, identity.ts reads the identity headers.
   */
  readonly caller?: Caller;
}

/** Who is calling (docs/http-api.md "Identity"). */
export interface Caller {
  readonly customerId: string | undefined;
  readonly isAdmin: boolean;
  /** Why there is no customer id: the detail of the 401 a customer route answers. */
  readonly missing?: string;
  /** Headers of that 401 (WWW-Authenticate in token mode). */
  readonly challenge?: Readonly<Record<string, string>>;
}

/** What a handler answers; `body` is already serialised, `headers` carry its content type. */
export interface ApiResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * JSON.stringify, with `<`, `>`, `&` and the two JavaScript-hostile line separators written as
 * \\u escapes: the same JSON value, but text a browser can never mistake for markup even
 * if a client renders it carelessly. Stored strings are never altered, only their encoding.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    status,
    headers: { "Content-Type": JSON_CONTENT_TYPE, "X-Content-Type-Options": "nosniff", ...headers },
    body: safeJson(body),
  };
}
