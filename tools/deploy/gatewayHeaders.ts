import { CORRELATION_ID_HEADER, HEADERS } from "../../shared/contracts/http/common";

/**
 * The correlation id header APIM passes through to the functions (and back to the caller).
 * Defined in shared/contracts, where the API reads it; re-exported for the deployment code.
 */
export { CORRELATION_ID_HEADER };

/**
 * Every header name the APIM policies may touch: the API's own headers (shared/contracts),
 * the correlation id, and the HTTP and platform headers the gateway deals in. A policy that
 * names anything else names a header nobody reads or sends.
 */
export const GATEWAY_HEADERS: readonly string[] = [
  ...Object.values(HEADERS),
  CORRELATION_ID_HEADER,
  // The caller's Entra ID bearer token, validated by validate-jwt.
  "Authorization",
  // The Functions host key the Function App requires; APIM adds it, clients never see it.
  "x-functions-key",
  // HTTP headers of the API's requests and responses (docs/http-api.md: JSON bodies, 202 + Location).
  "Content-Type",
  "Location",
  "Retry-After",
  // Sent by the @microsoft/signalr client with its negotiate request (POST /api/negotiate).
  "X-Requested-With",
  "X-SignalR-User-Agent",
];
