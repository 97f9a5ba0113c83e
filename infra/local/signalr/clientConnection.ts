/**
 * One client's WebSocket after negotiate: the handshake, then pings every keep-alive interval
 * (the client gives up after 30 s of silence), and Close on shutdown. A client that invokes a
 * hub method is closed with an error: in serverless mode without upstream there is no server
 * to run it (Azure/azure-signalr docs/rest-api.md, "clients are in LISTEN mode").
 */
import type { WebSocket } from "ws";
import type { ClientConnection, HubRegistry } from "./hubRegistry";
import {
  MESSAGE_TYPES,
  PING_FRAME,
  checkHandshake,
  closeFrame,
  frame,
  messageType,
  splitFrames,
} from "./hubProtocol";

export interface AcceptOptions {
  readonly id: string;
  readonly hub: string;
  readonly userId: string | undefined;
  readonly keepAliveIntervalMs: number;
  readonly handshakeTimeoutMs: number;
  readonly log?: (line: string) => void;
}

export function acceptClient(
  socket: WebSocket,
  registry: HubRegistry,
  options: AcceptOptions,
): void {
  let buffered = "";
  let connected = false;
  let pinger: NodeJS.Timeout | undefined;
  const connection: ClientConnection = {
    id: options.id,
    hub: options.hub,
    userId: options.userId,
    send(frames) {
      if (socket.readyState === socket.OPEN) socket.send(frames);
    },
    close(error, allowReconnect) {
      if (socket.readyState === socket.OPEN) socket.send(closeFrame(error, allowReconnect));
      socket.close(1000);
    },
  };
  const handshakeTimer = setTimeout(() => {
    socket.close(1002, "No handshake received.");
  }, options.handshakeTimeoutMs);
  handshakeTimer.unref();

  const onFrame = (text: string): void => {
    if (!connected) {
      clearTimeout(handshakeTimer);
      const result = checkHandshake(text);
      if (!result.ok) {
        socket.send(frame({ error: result.error }));
        socket.close(1000);
        return;
      }
      connected = true;
      socket.send(frame({}));
      registry.add(connection);
      pinger = setInterval(() => connection.send(PING_FRAME), options.keepAliveIntervalMs);
      pinger.unref();
      return;
    }
    const type = messageType(text);
    if (type === MESSAGE_TYPES.close) {
      socket.close(1000);
    } else if (type === MESSAGE_TYPES.invocation || type === MESSAGE_TYPES.streamInvocation) {
      options.log?.(`SignalR: connection ${options.id} invoked a hub method; closing it.`);
      connection.close(
        "Invocations from clients are not served: the hub is in serverless mode with no upstream.",
        false,
      );
    }
  };

  socket.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (isBinary) {
      connection.close("Only the text JSON hub protocol is served.", false);
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.from(data as ArrayBuffer).toString("utf8");
    const split = splitFrames(buffered + text);
    buffered = split.rest;
    for (const f of split.frames) onFrame(f);
  });
  socket.on("close", () => {
    clearTimeout(handshakeTimer);
    if (pinger) clearInterval(pinger);
    registry.remove(connection);
  });
  socket.on("error", () => socket.terminate());
}
