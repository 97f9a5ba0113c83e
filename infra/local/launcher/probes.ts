/** Readiness probes: a stand-in counts as up when it answers on its port, not after a sleep. */
import http from "node:http";
import https from "node:https";
import net from "node:net";

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Rejects early when the thing being waited for is known to have failed. */
  readonly failed?: () => Error | undefined;
}

/** Retries `probe` until it resolves true or the timeout passes. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const failure = options.failed?.();
    if (failure) throw failure;
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`${what} did not answer within ${options.timeoutMs ?? 30_000} ms.`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** True when an HTTP(S) GET gets any response at all (a 400 from Azurite still means it is up). */
export function httpAnswers(url: string, ca?: string | Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const request =
      target.protocol === "https:"
        ? https.get(target, { ca, timeout: 2000 }, (res) => {
            res.resume();
            resolve(true);
          })
        : http.get(target, { timeout: 2000 }, (res) => {
            res.resume();
            resolve(true);
          });
    request.on("error", () => resolve(false));
    request.on("timeout", () => {
      request.destroy();
      resolve(false);
    });
  });
}

/** True when a TCP connection to host:port opens. */
export function tcpAnswers(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(2000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The port is taken when something listens there; checked by trying to listen. */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
