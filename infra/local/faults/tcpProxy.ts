/**
 * A TCP proxy in front of a stand-in's port, so that a fault can act on the network path
 * without touching the stand-in: every connection dropped at once, or the port unreachable
 * for a while. It pipes bytes and nothing else, so the protocols on top are unchanged.
 */
import net, { type AddressInfo, type Server, type Socket } from "node:net";

export type OutageMode = "refuse" | "reset";

export interface TcpProxyCounts {
  /** Connections the proxy accepted and passed on. */
  readonly opened: number;
  /** Open connections it cut (a drop, or the start of an outage). */
  readonly dropped: number;
  /** Connections reset on arrival during an outage in `reset` mode. */
  readonly resetOnArrival: number;
}

export class TcpProxy {
  #server: Server | undefined;
  #port = 0;
  #outage: OutageMode | undefined;
  readonly #pairs = new Set<[Socket, Socket]>();
  #counts = { opened: 0, dropped: 0, resetOnArrival: 0 };

  constructor(
    private readonly target: { readonly host: string; readonly port: number },
    private readonly host: string,
  ) {}

  /** Listens on `port` (0: a free one) and resolves with the port. */
  async listen(port: number): Promise<number> {
    const server = net.createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this.#port;
  }

  get port(): number {
    return this.#port;
  }

  counts(): TcpProxyCounts {
    return { ...this.#counts };
  }

  /**
   * Cuts every open connection: the client side is reset (RST, so the client sees
   * ECONNRESET at once rather than a half-closed socket), the stand-in side closed.
   */
  dropAll(): number {
    const pairs = [...this.#pairs];
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.#pairs.clear();
    this.#counts.dropped += pairs.length;
    return pairs.length;
  }

  /**
   * Makes the port unreachable until {@link endOutage}: `refuse` stops listening (a new
   * connection gets ECONNREFUSED, as from a host that is down), `reset` accepts and resets
   * each one. Open connections are cut either way.
   */
  startOutage(mode: OutageMode): Promise<void> {
    return this.#inTurn(async () => {
      this.#outage = mode;
      this.dropAll();
      if (mode === "refuse") await this.#closeListener();
      else if (!this.#server && this.#port !== 0) await this.listen(this.#port);
    });
  }

  endOutage(): Promise<void> {
    return this.#inTurn(async () => {
      this.#outage = undefined;
      if (!this.#server && this.#port !== 0) await this.listen(this.#port);
    });
  }

  /** Outage changes run one after another, so a start and an end never interleave. */
  #turn: Promise<void> = Promise.resolve();
  #inTurn(change: () => Promise<void>): Promise<void> {
    const next = this.#turn.then(change);
    this.#turn = next.catch(() => undefined);
    return next;
  }

  close(): Promise<void> {
    return this.#inTurn(async () => {
      this.#outage = undefined;
      this.#port = 0;
      this.dropAll();
      await this.#closeListener();
    });
  }

  async #closeListener(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    if (this.#outage === "reset") {
      this.#counts.resetOnArrival += 1;
      client.resetAndDestroy();
      return;
    }
    this.#counts.opened += 1;
    client.setNoDelay(true);
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    upstream.setNoDelay(true);
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    const end = (): void => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end);
    upstream.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
