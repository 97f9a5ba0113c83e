/**
 * The local stack one test file (or one bench run) works against: the stand-ins on free
 * ports in this process (Azurite, the Cosmos server, the Service Bus emulator) and the
 * Functions host as a child process running the compiled app, as `npm start` runs it (or N
 * host processes sharing the work behind one address, as `npm start -- --instances N`).
 * Started in `beforeAll`, stopped in `afterAll`: `stop()` ends all that it started (host,
 * stand-ins, the Cosmos client's sockets, the temporary email outbox), so jest exits with
 * no open handle. What the files differ in is an option.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { CosmosClient, type Database } from "@azure/cosmos";
import { catalogSku } from "../../shared/catalog/catalogSeed";
import { CONNECTIONS, COSMOS_DATABASE_DEFAULT } from "../../shared/config/names";
import {
  startHostCluster,
  startStandIns,
  type HostCluster,
  type HostProcess,
  type RunningStandIns,
  type TestStandInsOptions,
} from "@order-processing/local-runtime/testing";
import { ApiClient } from "./apiClient";
import { apiOnlySettings } from "./apiOnly";
import { waitFor } from "./waitFor";

export interface TestStackOptions {
  /** Which stand-ins run (all by default), and the Service Bus topology. */
  readonly standIns?: Omit<TestStandInsOptions, "settingNames">;
  /** Start the host at once (the default); `false` starts it only on `restartHost()`. */
  readonly host?: boolean;
  /** Run the API's functions alone (see apiOnly.ts). */
  readonly apiOnly?: boolean;
  /** SAGA_INVENTORY_TIMEOUT_SECONDS and SAGA_PAYMENT_TIMEOUT_SECONDS; local.settings.json's otherwise. */
  readonly stepTimeoutSeconds?: number;
  /** EMAIL_OUTBOX_DIR; a temporary folder, removed by `stop()`, otherwise. */
  readonly emailOutbox?: string;
  /** LOG_FORMAT; local.settings.json's otherwise. */
  readonly logFormat?: "text" | "json";
  /** More settings, applied last (so they override the stand-ins' and the options'). */
  readonly settings?: Readonly<Record<string, string>>;
  /** The client throws on any 5xx answer. */
  readonly failOnServerError?: boolean;
  /**
   * How many Functions host processes share the work (competing consumers, Durable partitions
   * split by leases, requests round-robin); TEST_HOST_INSTANCES or 1 by default.
   */
  readonly instances?: number;
}

export interface TestStack {
  readonly standIns: RunningStandIns;
  /** The settings the host runs with (over local.settings.json and this process's environment). */
  readonly settings: Readonly<Record<string, string>>;
  /** EMAIL_OUTBOX_DIR: the emails the app writes, as `.eml` files. */
  readonly outbox: string;
  /** TRACES_FILE: the host's spans as OTLP JSON lines (a temporary file unless set). */
  readonly tracesFile: string;
  /** The running host (the first, with several); throws while none runs. */
  readonly host: HostProcess;
  /** Every host process, by instance index (one unless `instances` says more). */
  readonly hosts: readonly HostProcess[];
  /**
   * e.g. `http://127.0.0.1:41234`, the only host or the proxy in front of several: changes
   * with each `restartHost()`.
   */
  readonly baseUrl: string;
  readonly api: ApiClient;
  /** A Cosmos client trusting the stand-in's certificate (made on first use). */
  readonly cosmos: CosmosClient;
  /** The app's database on the Cosmos stand-in. */
  database(): Database;
  /**
   * Stops the hosts if any run (or died), then starts them with `settings` over the stack's;
   * each instance keeps its id, so it takes its Durable partitions back at once. Resolves
   * with the first.
   */
  restartHost(settings?: Readonly<Record<string, string>>): Promise<HostProcess>;
  stopHost(): Promise<void>;
  stop(): Promise<void>;
}

const HOST_READY_TIMEOUT_MS = 60_000;

function instancesFrom(options: TestStackOptions): number {
  const raw = options.instances ?? process.env.TEST_HOST_INSTANCES ?? 1;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`TEST_HOST_INSTANCES must be a whole number of 1 or more, got "${raw}".`);
  }
  return count;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const outbox = options.emailOutbox ?? (await mkdtemp(path.join(tmpdir(), "test-outbox-")));
  const tracesDir = await mkdtemp(path.join(tmpdir(), "test-traces-"));
  const tracesFile = options.settings?.TRACES_FILE ?? path.join(tracesDir, "spans.jsonl");
  const removeOutbox = async (): Promise<void> => {
    await rm(tracesDir, { recursive: true, force: true });
    if (options.emailOutbox === undefined) await rm(outbox, { recursive: true, force: true });
  };
  let standIns: RunningStandIns;
  try {
    standIns = await startStandIns({
      ...options.standIns,
      settingNames: {
        storage: CONNECTIONS.storage,
        cosmos: CONNECTIONS.cosmos,
        serviceBus: CONNECTIONS.serviceBus,
        signalR: CONNECTIONS.signalR,
      },
    });
  } catch (error) {
    await removeOutbox();
    throw error;
  }
  const timeouts = options.stepTimeoutSeconds?.toString();
  const settings: Record<string, string> = {
    ...(options.apiOnly ? apiOnlySettings() : {}),
    ...standIns.settings,
    EMAIL_OUTBOX_DIR: outbox,
    TRACES_FILE: tracesFile,
    // One system key for every host of the stack and across restarts: the Durable webhooks
    // ask it, and a call through the round-robin proxy may reach any instance.
    LOCAL_HOST_SYSTEM_KEY: randomBytes(24).toString("base64url"),
    ...(timeouts === undefined
      ? {}
      : { SAGA_INVENTORY_TIMEOUT_SECONDS: timeouts, SAGA_PAYMENT_TIMEOUT_SECONDS: timeouts }),
    ...(options.logFormat === undefined ? {} : { LOG_FORMAT: options.logFormat }),
    ...options.settings,
  };

  const instances = instancesFrom(options);
  let cluster: HostCluster | undefined;
  let cosmos: { client: CosmosClient; agent: Agent } | undefined;
  const cosmosClient = (): CosmosClient => {
    const server = standIns.cosmos;
    if (server === undefined) throw new Error("This stack runs no Cosmos server.");
    if (cosmos === undefined) {
      // The client does not own an agent it is given: stop() destroys it, or its kept-alive
      // sockets outlive the test file (jest: "a worker process has failed to exit gracefully").
      const agent = new Agent({ ca: readFileSync(server.caCertFile), keepAlive: true });
      cosmos = {
        client: new CosmosClient({ endpoint: server.endpoint, key: server.key, agent }),
        agent,
      };
    }
    return cosmos.client;
  };

  const stack: TestStack = {
    standIns,
    settings,
    outbox,
    tracesFile,
    get host(): HostProcess {
      const first = cluster?.hosts[0];
      if (first === undefined) throw new Error("No host runs in this stack.");
      return first;
    },
    get hosts(): readonly HostProcess[] {
      return cluster?.hosts ?? [];
    },
    get baseUrl(): string {
      if (cluster === undefined) throw new Error("No host runs in this stack.");
      return cluster.baseUrl;
    },
    api: new ApiClient(() => stack.baseUrl, {
      failOnServerError: options.failOnServerError ?? false,
      systemKey: () => stack.host.systemKey,
    }),
    get cosmos(): CosmosClient {
      return cosmosClient();
    },
    database: () =>
      cosmosClient().database(settings.COSMOS_DATABASE_NAME ?? COSMOS_DATABASE_DEFAULT),
    async restartHost(overrides = {}) {
      await stack.stopHost();
      cluster = await startHostCluster({
        env: { ...settings, ...overrides },
        readyTimeoutMs: HOST_READY_TIMEOUT_MS,
        instances,
      });
      // A client of its own: a strict one (failOnServerError) would throw at a 503 while it seeds.
      await untilBootstrapped(new ApiClient(() => stack.baseUrl));
      return stack.host;
    },
    async stopHost() {
      const running = cluster;
      cluster = undefined;
      await running?.stop();
    },
    async stop() {
      try {
        await stack.stopHost();
      } finally {
        cosmos?.client.dispose();
        cosmos?.agent.destroy();
        cosmos = undefined;
        await standIns.stop();
        await removeOutbox();
      }
    },
  };

  if (options.host !== false) {
    try {
      await stack.restartHost();
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }
  return stack;
}

/**
 * Locally the app creates its containers and seeds the catalog on its first request, and
 * every route but health waits for that. The stack counts as started once a catalog read
 * answers, so no test pays for the bootstrap: health's per-probe bound (a few seconds)
 * would report a Cosmos that is merely still seeding, on a loaded machine, as down.
 */
async function untilBootstrapped(api: ApiClient): Promise<void> {
  await waitFor(
    async () => ((await api.call(`/products/${catalogSku(1)}`)).status === 200 ? true : undefined),
    { timeoutMs: HOST_READY_TIMEOUT_MS, what: "the app's Cosmos bootstrap (catalog seeded)" },
  );
}
