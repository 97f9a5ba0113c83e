/**
 * Azure SignalR Service connection strings: `Endpoint=https://<name>.service.signalr.net;
 * AccessKey=<key>;Version=1.0;`. Microsoft's local emulator prints
 * `Endpoint=http://localhost;Port=8888;AccessKey=…;Version=1.0;`, so a separate `Port` is
 * honoured, and `ClientEndpoint` (where browsers connect, when it differs) too.
 */
export interface SignalRConnectionString {
  /** Service origin without a trailing slash, e.g. `http://localhost:8888`. */
  readonly endpoint: string;
  /** Origin clients are sent to (ClientEndpoint, else the endpoint). */
  readonly clientEndpoint: string;
  readonly accessKey: string;
  readonly version: string;
}

function origin(raw: string, port: string | undefined, key: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${key}="${raw}" is not an absolute URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`${key}="${raw}" must be an http(s) URL.`);
  if (port !== undefined) url.port = port;
  return url.origin;
}

/** Parses a connection string; throws naming the missing or bad part. */
export function parseSignalRConnectionString(text: string): SignalRConnectionString {
  const parts = new Map<string, string>();
  for (const part of text.split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const endpoint = parts.get("endpoint");
  const accessKey = parts.get("accesskey");
  if (!endpoint) throw new Error("The SignalR connection string has no Endpoint.");
  if (!accessKey)
    throw new Error(
      "The SignalR connection string has no AccessKey (identity-based connections use <setting>__serviceUri instead).",
    );
  const port = parts.get("port");
  if (port !== undefined && !/^\d{1,5}$/.test(port))
    throw new Error(`Port="${port}" in the SignalR connection string is not a port.`);
  const service = origin(endpoint, port, "Endpoint");
  const client = parts.get("clientendpoint");
  return {
    endpoint: service,
    clientEndpoint: client ? origin(client, port, "ClientEndpoint") : service,
    accessKey,
    version: parts.get("version") ?? "1.0",
  };
}

/** The connection string for a service at `endpoint` signed with `accessKey`. */
export function formatSignalRConnectionString(endpoint: string, accessKey: string): string {
  return `Endpoint=${endpoint};AccessKey=${accessKey};Version=1.0;`;
}
