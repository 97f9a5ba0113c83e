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
}

/** What a handler answers; `body` is already serialised, `headers` carry its content type. */
export interface ApiResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    status,
    headers: { "Content-Type": JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}
