/**
 * The SignalR JSON hub protocol as the service speaks it to clients: every frame is a JSON
 * object followed by the record separator 0x1E; the first frame from the client is the
 * handshake `{"protocol":"json","version":1}`, answered by `{}` (or `{"error":…}`). Message
 * types: 1 Invocation, 6 Ping, 7 Close (the others are not sent to a client in serverless
 * mode). Source: dotnet/aspnetcore src/SignalR/docs/specs/HubProtocol.md.
 */
export const RECORD_SEPARATOR = "\u001e";

export const MESSAGE_TYPES = {
  invocation: 1,
  streamItem: 2,
  completion: 3,
  streamInvocation: 4,
  cancelInvocation: 5,
  ping: 6,
  close: 7,
  ack: 8,
  sequence: 9,
} as const;

export interface InvocationMessage {
  readonly type: typeof MESSAGE_TYPES.invocation;
  readonly target: string;
  readonly arguments: readonly unknown[];
}

/** One frame: the message as JSON and the separator. */
export function frame(message: object): string {
  return JSON.stringify(message) + RECORD_SEPARATOR;
}

export const PING_FRAME = frame({ type: MESSAGE_TYPES.ping });

export function invocationFrame(target: string, args: readonly unknown[]): string {
  return frame({ type: MESSAGE_TYPES.invocation, target, arguments: args });
}

export function closeFrame(error: string | undefined, allowReconnect: boolean): string {
  return frame({
    type: MESSAGE_TYPES.close,
    ...(error === undefined ? {} : { error }),
    allowReconnect,
  });
}

/**
 * Splits received text into complete frames; `rest` is an unfinished frame to prepend to the
 * next chunk (a WebSocket message may carry several frames, or part of one).
 */
export function splitFrames(buffered: string): { frames: string[]; rest: string } {
  const parts = buffered.split(RECORD_SEPARATOR);
  const rest = parts.pop() ?? "";
  return { frames: parts.filter((p) => p.length > 0), rest };
}

export type HandshakeResult = { ok: true } | { ok: false; error: string };

/** Checks the client's handshake request: only the JSON protocol, version 1, is served. */
export function checkHandshake(text: string): HandshakeResult {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return { ok: false, error: "Handshake request is not valid JSON." };
  }
  const { protocol, version } = (request ?? {}) as { protocol?: unknown; version?: unknown };
  if (protocol !== "json")
    return {
      ok: false,
      error: `The protocol '${String(protocol)}' is not supported by this local SignalR Service (only 'json').`,
    };
  if (version !== 1)
    return {
      ok: false,
      error: `The server does not support version ${String(version)} of the 'json' protocol.`,
    };
  return { ok: true };
}

/** The `type` of a parsed client frame, or undefined when it is not a hub message. */
export function messageType(text: string): number | undefined {
  try {
    const parsed = JSON.parse(text) as { type?: unknown };
    return typeof parsed.type === "number" ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}
