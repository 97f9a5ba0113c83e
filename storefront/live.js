// Live order status: Azure SignalR Service through the app's /api/negotiate (the serverless
// redirect), falling back to polling the order while the connection is down. A push may be
// lost; the order read through the API is the truth, so every (re)connect re-reads it.
import { apiBase, authHeaders, identity } from "./api.js";

const POLL_INTERVAL_MS = 2000;

/**
 * @param {{ onChange(change: object): void, onResync(): void, onState(state: "live"|"polling"|"off"): void }} handlers
 */
export function createLiveStatus(handlers) {
  let connection;
  let pollTimer;
  let stopped = true;

  const poll = (on) => {
    clearInterval(pollTimer);
    pollTimer = on ? setInterval(() => handlers.onResync(), POLL_INTERVAL_MS) : undefined;
    handlers.onState(on ? "polling" : "live");
  };

  async function start() {
    await stop();
    stopped = false;
    const signalR = globalThis.signalR;
    // `headers` reach both negotiate legs; behind API Management the bearer token is what
    // the gateway turns into X-Customer-Id.
    connection = new signalR.HubConnectionBuilder()
      .withUrl(apiBase.href.replace(/\/$/, ""), {
        headers: authHeaders(),
        ...(identity.token ? { accessTokenFactory: () => identity.token } : {}),
      })
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, 500 * 2 ** ctx.previousRetryCount),
      })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    connection.on("orderStatusChanged", (change) => handlers.onChange(change));
    connection.onreconnecting(() => poll(true));
    connection.onreconnected(() => {
      poll(false);
      handlers.onResync();
    });
    connection.onclose(() => {
      if (!stopped) {
        poll(true);
        setTimeout(() => !stopped && connect(), 5000);
      }
    });
    await connect();
  }

  async function connect() {
    try {
      await connection.start();
      poll(false);
      handlers.onResync();
    } catch {
      poll(true);
      setTimeout(() => !stopped && connection.state === "Disconnected" && connect(), 5000);
    }
  }

  async function stop() {
    stopped = true;
    clearInterval(pollTimer);
    handlers.onState("off");
    if (connection) await connection.stop().catch(() => undefined);
    connection = undefined;
  }

  return {
    start,
    stop,
    get state() {
      return connection?.state ?? "Disconnected";
    },
  };
}
