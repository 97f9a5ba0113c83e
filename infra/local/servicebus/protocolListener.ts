import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

/** Where a new connection goes, by its first byte. Each takes the socket paused and resumes it. */
export interface ProtocolHandlers {
  /** The AMQP protocol header ("AMQP" followed by the protocol id). */
  amqp(socket: Socket): void;
  /** A TLS handshake record (0x16): the administration API over HTTPS. */
  tls(socket: Socket): void;
  /** Anything else: plain HTTP (the administration API, for curl and tests). */
  http(socket: Socket): void;
}

const AMQP_FIRST_BYTE = 0x41; // "A"
const TLS_HANDSHAKE = 0x16;

/**
 * One TCP port for AMQP and the administration API. The SDK's ServiceBusAdministrationClient
 * sends its requests to https://<host:port of the connection string's Endpoint>/..., the same
 * port the messaging client speaks AMQP on, so the emulator tells them apart by the first byte
 * a client sends (AMQP clients speak first, as do TLS and HTTP clients).
 */
export class ProtocolListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly handlers: ProtocolHandlers) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((socket) => this.route(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
      server.listen(port, host);
    });
    return (server.address() as AddressInfo).port;
  }

  private route(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    // Small AMQP frames (flows, dispositions) must not wait for Nagle + delayed ACK (40 ms each).
    socket.setNoDelay(true);
    socket.once("data", (first: Buffer) => {
      // Put the bytes back and hand the socket over paused: the new owner resumes it once it
      // listens, and reads these bytes first.
      socket.pause();
      socket.unshift(first);
      const byte = first[0];
      if (byte === AMQP_FIRST_BYTE) this.handlers.amqp(socket);
      else if (byte === TLS_HANDSHAKE) this.handlers.tls(socket);
      else this.handlers.http(socket);
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // With an error: rhea learns of a socket's end only from its "end" or "error" event, and a
    // bare destroy() emits neither, so the connection would stay open and its heartbeat timer
    // would write into the dead socket for ever (and keep the process alive).
    for (const s of this.sockets) s.destroy(new Error("The Service Bus emulator closed."));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
