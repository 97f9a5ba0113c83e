/**
 * The local Durable Functions engine as a host plugin: it drives `orchestrationTrigger` and
 * `activityTrigger` functions, fills the `durableClient` input binding and serves the
 * management API. Settings: `AzureWebJobsStorage` (the task hub's tables, leases and control
 * queues), host.json `extensions.durableTask` (`hubName`, `maxConcurrentOrchestratorFunctions`,
 * `maxConcurrentActivityFunctions`, `storageProvider.partitionCount`), `LOCAL_HOST_INSTANCE_ID`
 * (this host's worker id when several share the hub; the machine name by default).
 */
import { app, type PreInvocationContext } from "@azure/functions";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import type { HostPlugin, HostPluginContext, RpcTypedDataLike } from "../host/plugin";
import { durableClientData, type DurableClientData } from "./clientData";
import { DurableEngine } from "./durableEngine";
import { DurableStore } from "./durableStore";
import { createManagementApi } from "./managementApi";
import { captureThrown, prepareEpisode } from "./episodeHook";
import { EPISODE_FIELD } from "./orchestratorInvoker";
import { PartitionOwnership } from "./partitionOwnership";
import { partitionCountOf } from "./partitions";

const DEFAULT_HUB = "TestHubName";
const START_RETRY_MS = 2000;
const RPC_CLOSE_TIMEOUT_MS = 10_000;
/** Durable's defaults are 10 × processors; the local machine is small and shared. */
const DEFAULT_CONCURRENCY = 10;

interface DurableTaskSettings {
  hubName?: string;
  maxConcurrentOrchestratorFunctions?: number;
  maxConcurrentActivityFunctions?: number;
  partitionCount?: number;
}

export function durableTaskSettings(
  hostJson: Readonly<Record<string, unknown>>,
): Required<DurableTaskSettings> {
  const extensions = (hostJson.extensions ?? {}) as Record<string, unknown>;
  const durable = (extensions.durableTask ?? {}) as DurableTaskSettings & Record<string, unknown>;
  return {
    hubName: durable.hubName ?? DEFAULT_HUB,
    partitionCount: partitionCountOf(durable),
    maxConcurrentOrchestratorFunctions: Number(
      durable.maxConcurrentOrchestratorFunctions ?? DEFAULT_CONCURRENCY,
    ),
    maxConcurrentActivityFunctions: Number(
      durable.maxConcurrentActivityFunctions ?? DEFAULT_CONCURRENCY,
    ),
  };
}

export class DurablePlugin implements HostPlugin {
  readonly name = "durable";
  readonly triggerTypes = ["orchestrationTrigger", "activityTrigger"] as const;
  readonly inputBindingTypes = ["durableClient"] as const;
  engine: DurableEngine | undefined;
  private clientData: DurableClientData | undefined;
  private api: ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined;
  private hook: { dispose(): void } | undefined;
  private ready = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private rpc: http.Server | undefined;

  async start(context: HostPluginContext): Promise<void> {
    // An app without orchestrations or activities needs no task hub (nor its storage).
    if (context.functions.length === 0) return;
    const connection = context.settings.AzureWebJobsStorage;
    if (!connection) {
      throw new Error(
        "The Durable engine needs the AzureWebJobsStorage setting (Azurite locally: UseDevelopmentStorage=true).",
      );
    }
    const settings = durableTaskSettings(context.hostJson);
    const rpc = await this.listenForRpc(context);
    this.clientData = durableClientData({
      hostBaseUrl: context.baseUrl,
      rpcBaseUrl: rpc,
      hubName: settings.hubName,
      systemKey: context.systemKey,
    });
    const store = new DurableStore(connection, settings.hubName);
    // A host's worker id is its instance's: a restarted instance keeps it and takes its
    // partitions back at once (Azure's default worker id is the machine name).
    const workerId = context.settings.LOCAL_HOST_INSTANCE_ID || os.hostname();
    const engine = new DurableEngine({
      store,
      ownership: (parts) =>
        new PartitionOwnership({
          workerId,
          partitionCount: settings.partitionCount,
          hubName: settings.hubName,
          connectionString: connection,
          leasesTable: store.partitions,
          engine: parts,
          logger: context.logger,
          counted: (kind) => store.count(kind),
        }),
      invoker: context.invoker,
      functions: context.functions,
      logger: context.logger,
      maxConcurrentOrchestratorFunctions: settings.maxConcurrentOrchestratorFunctions,
      maxConcurrentActivityFunctions: settings.maxConcurrentActivityFunctions,
    });
    this.engine = engine;
    // Orchestrator invocations are prepared in a pre-invocation hook: history timestamps
    // become Dates (the library compares them with Dates to advance currentUtcDateTime) and
    // log lines already written by earlier episodes are not written again.
    this.hook = app.hook.preInvocation((ctx: PreInvocationContext) => {
      if (ctx.invocationContext.options.trigger.type !== "orchestrationTrigger") return;
      const info = ctx.inputs[0] as Record<string, unknown> | undefined;
      const episode = info?.[EPISODE_FIELD];
      const gate = typeof episode === "string" ? engine.logGates.get(episode) : undefined;
      if (info && gate) {
        prepareEpisode(info, ctx.invocationContext, gate);
        ctx.functionHandler = captureThrown(ctx.functionHandler, gate);
      }
    });
    this.api = createManagementApi(engine.management, () => this.clientData as DurableClientData);
    await this.startEngine(engine, context);
  }

  /**
   * The extension's RPC endpoint: the management API again, on a loopback-only listener of
   * its own that asks no key, which the app's `durable-functions` client calls (its
   * `rpcBaseUrl`), as in Azure, where that endpoint is `127.0.0.1:17071` inside the instance.
   * The host's public listener keeps asking the system key.
   */
  private async listenForRpc(context: HostPluginContext): Promise<string> {
    const server = http.createServer((req, res) => {
      // During stop, a kept-alive connection closes as soon as its last answer is sent.
      res.once("finish", () => {
        if (this.stopped) setImmediate(() => server.closeIdleConnections());
      });
      this.handleHttp(req, res)
        .then((handled) => {
          if (!handled) {
            res.statusCode = 404;
            res.end();
          }
        })
        .catch((error: unknown) => {
          context.logger.error(`Durable RPC request failed: ${String(error)}`);
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
    });
    this.rpc = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /**
   * Starts the engine; while its storage cannot be reached, the host keeps serving its other
   * triggers and the engine tries again, as the Functions host does when the Durable
   * extension's storage is down.
   */
  private async startEngine(engine: DurableEngine, context: HostPluginContext): Promise<void> {
    try {
      await engine.start();
      this.ready = true;
    } catch (error) {
      if (this.stopped) return;
      context.logger.error(
        `Durable engine: task hub storage (AzureWebJobsStorage) is not reachable; retrying: ${String(error)}`,
      );
      this.retry = setTimeout(() => void this.startEngine(engine, context), START_RETRY_MS);
      this.retry.unref();
    }
  }

  stats(): Record<string, unknown> {
    const engine = this.engine;
    if (!engine) return {};
    const store = engine.store as { operationsByKind?: Record<string, number> };
    return {
      ...engine.stats,
      partitions: engine.ownedPartitions(),
      storageOperations: engine.store.operations,
      storageOperationsByKind: store.operationsByKind ?? {},
    };
  }

  inputBindingData(): RpcTypedDataLike {
    if (!this.clientData) {
      throw new Error(
        "The Durable engine is not running: the app registers no orchestration or activity.",
      );
    }
    return { json: JSON.stringify(this.clientData) };
  }

  async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!this.api) return false;
    if (!this.ready) {
      if (!(req.url ?? "").toLowerCase().startsWith("/runtime/webhooks/durabletask")) return false;
      res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "2" });
      res.end(JSON.stringify({ message: "The Durable engine's storage is not reachable yet." }));
      return true;
    }
    return this.api(req, res);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.hook?.dispose();
    const rpc = this.rpc;
    if (rpc) {
      // Calls in flight (an HTTP function raising an event) finish; stragglers are cut.
      const cut = setTimeout(() => rpc.closeAllConnections(), RPC_CLOSE_TIMEOUT_MS);
      cut.unref();
      await new Promise<void>((resolve) => rpc.close(() => resolve()));
      clearTimeout(cut);
    }
    await this.engine?.stop();
  }
}
