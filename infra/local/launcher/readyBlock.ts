/** The one block `npm start` prints when everything is up: every function and every URL. */
import type { FunctionSummary } from "../host/startHost";

export interface ReadyBlockInput {
  readonly hostBaseUrl?: string;
  /** With several host instances: each one's own address (the proxy is `hostBaseUrl`). */
  readonly instanceUrls?: readonly string[];
  readonly functions?: readonly FunctionSummary[];
  readonly ports: {
    azuriteBlob?: number;
    azuriteQueue?: number;
    azuriteTable?: number;
    cosmos?: number;
    serviceBus?: number;
    signalR?: number;
    identity?: number;
  };
  readonly settings: Readonly<Record<string, string>>;
  /** The fault control API, when the stand-ins run with fault injection. */
  readonly faultsUrl?: string;
  /** The host's system key, which the Durable management API asks (LOCAL_HOST_SYSTEM_KEY). */
  readonly systemKey?: string;
  /** A page to open first, relative to the host (`--open`, e.g. `/api/shop/`). */
  readonly startPage?: string;
  /** Stand-ins only: print the settings a `func start` user puts in local.settings.json. */
  readonly standInsOnly?: boolean;
}

export function formatReadyBlock(input: ReadyBlockInput): string {
  const lines: string[] = [
    "",
    "=".repeat(78),
    input.standInsOnly ? "Local stand-ins are ready." : "Local stack is ready.",
    "",
  ];
  if (input.hostBaseUrl && input.functions) {
    lines.push(`Functions host: ${input.hostBaseUrl}`);
    if (input.instanceUrls) {
      lines.push(
        `  ${input.instanceUrls.length} instances behind it (round robin): ${input.instanceUrls.join("  ")}`,
      );
    }
    const width = Math.max(8, ...input.functions.map((f) => f.name.length));
    for (const fn of input.functions) {
      const http = /^\[([^\]]+)\] (\S+)$/.exec(fn.detail);
      const where = http ? `[${http[1]}] ${input.hostBaseUrl}${http[2]}` : fn.detail;
      const note = fn.disabled
        ? "  (disabled)"
        : fn.driver
          ? ""
          : "  (NOT RUN: no driver for this trigger)";
      lines.push(`  ${fn.name.padEnd(width)}  ${fn.trigger.padEnd(20)} ${where}${note}`);
    }
    if (input.functions.length === 0) lines.push("  (the app registered no functions)");
    lines.push("");
    if (input.systemKey) {
      lines.push(
        "A saga's state (Durable management API, keyed as in Azure):",
        `  curl -H "x-functions-key: ${input.systemKey}" ${input.hostBaseUrl}/runtime/webhooks/durabletask/instances/<orderId>`,
        "",
      );
    }
    if (input.startPage) {
      const page = input.startPage.startsWith("/") ? input.startPage : `/${input.startPage}`;
      lines.push(`Open: ${input.hostBaseUrl}${page}`, "");
    }
  }
  const p = input.ports;
  lines.push("Stand-ins:");
  if (p.azuriteBlob !== undefined) {
    lines.push(
      `  Azurite      blob http://127.0.0.1:${p.azuriteBlob}  queue http://127.0.0.1:${String(p.azuriteQueue)}  table http://127.0.0.1:${String(p.azuriteTable)}  (data in .local/azurite)`,
    );
  }
  if (p.cosmos !== undefined)
    lines.push(
      `  Cosmos       https://127.0.0.1:${p.cosmos}/  (certificate .local/cosmos/cert.pem)`,
    );
  if (p.serviceBus !== undefined)
    lines.push(
      `  Service Bus  sb://localhost:${p.serviceBus}  (topology infra/servicebus/config.json)`,
    );
  if (p.signalR !== undefined)
    lines.push(
      `  SignalR      http://localhost:${p.signalR}  (serverless mode, hub names any case)`,
    );
  if (input.faultsUrl)
    lines.push(`  Faults       ${input.faultsUrl}  (npm run faults -- <target> <fault> [options])`);
  if (p.identity !== undefined)
    lines.push(
      `  Identity     http://127.0.0.1:${p.identity}/local-tenant/v2.0/.well-known/openid-configuration  (tokens: npm run token -- --sub alice)`,
    );
  if (input.standInsOnly) {
    lines.push("", "For func start, local.settings.json Values:");
    for (const [name, value] of Object.entries(input.settings))
      lines.push(`  "${name}": "${value}"`);
  }
  lines.push("", "Press Ctrl-C to stop.", "=".repeat(78), "");
  return lines.join("\n");
}
