/**
 * Real stand-ins for handler tests: the Cosmos server in-process (containers from names.ts,
 * catalog seeded) and the project's Service Bus emulator, with the handlers built by their
 * factories exactly as the composition root builds them.
 */
import { CosmosClient } from "@azure/cosmos";
import { ServiceBusClient } from "@azure/service-bus";
import { COSMOS_CONTAINERS } from "../../config/names";
import { CosmosCatalogRepository } from "../../adapters/cosmos/cosmosCatalogRepository";
import { CosmosOrderRepository } from "../../adapters/cosmos/cosmosOrderRepository";
import { ensureContainers } from "../../adapters/cosmos/ensureContainers";
import {
  COSMOS_EMULATOR_KEY,
  startCosmosTestServer,
  type CosmosTestServer,
} from "@order-processing/local-runtime/testing";
import { ServiceBusPublisher } from "../../adapters/servicebus/serviceBusPublisher";
import { catalogSeed } from "../../catalog/catalogSeed";
import {
  startServiceBusEmulator,
  type ServiceBusEmulator,
} from "@order-processing/local-runtime/servicebus";
import type { Clock, IdGenerator } from "../../ports";
import { uuidGenerator } from "../../ports";
import type { ApiRequest } from "../http/apiTypes";

export interface ApiTestbed {
  readonly cosmosServer: CosmosTestServer;
  readonly cosmos: CosmosClient;
  readonly emulator: ServiceBusEmulator;
  readonly serviceBus: ServiceBusClient;
  readonly orders: CosmosOrderRepository;
  readonly catalog: CosmosCatalogRepository;
  readonly publisher: ServiceBusPublisher;
  readonly clock: Clock & { advance(ms: number): void };
  readonly ids: IdGenerator;
  readonly logger: { warn: () => void; error: () => void; info: () => void };
  close(): Promise<void>;
}

/** A clock tests move by hand, starting at a fixed instant. */
export function manualClock(start = Date.parse("2026-01-01T00:00:00.000Z")) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export async function startApiTestbed(
  options: { clock?: Clock & { advance(ms: number): void } } = {},
): Promise<ApiTestbed> {
  const cosmosServer = await startCosmosTestServer();
  const cosmos = new CosmosClient({
    endpoint: cosmosServer.endpoint,
    key: COSMOS_EMULATOR_KEY,
    agent: cosmosServer.agent,
  });
  const database = await ensureContainers(cosmos, "orders");
  const clock = options.clock ?? manualClock();
  const orders = new CosmosOrderRepository({
    orders: database.container(COSMOS_CONTAINERS.orders.id),
    ledger: database.container(COSMOS_CONTAINERS.ledger.id),
    clock,
    idempotencyTtlInSeconds: 3600,
    sentOutboxTtlInSeconds: 600,
  });
  const catalog = new CosmosCatalogRepository(database.container(COSMOS_CONTAINERS.products.id));
  await catalog.seed(catalogSeed());
  const emulator = await startServiceBusEmulator({ port: 0 });
  const serviceBus = new ServiceBusClient(emulator.connectionString);
  const publisher = new ServiceBusPublisher(serviceBus);
  const quiet = () => undefined;
  return {
    cosmosServer,
    cosmos,
    emulator,
    serviceBus,
    orders,
    catalog,
    publisher,
    clock,
    ids: uuidGenerator,
    logger: { warn: quiet, error: quiet, info: quiet },
    async close() {
      await publisher.close();
      await serviceBus.close();
      await emulator.close();
      cosmos.dispose();
      await cosmosServer.close();
    },
  };
}

export interface RequestInit {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** Sent as is instead of JSON-encoding `body`. */
  readonly rawBody?: string;
}

/** A plain ApiRequest, JSON body and content type by default. */
export function apiRequest(init: RequestInit = {}): ApiRequest {
  const text = init.rawBody ?? (init.body === undefined ? "" : JSON.stringify(init.body));
  const headers = new Headers({
    ...(init.body !== undefined || init.rawBody !== undefined
      ? { "content-type": "application/json" }
      : {}),
    ...init.headers,
  });
  const query = new URLSearchParams(init.query ?? {});
  return {
    method: init.method ?? "GET",
    url: `http://localhost/api${init.path ?? "/"}`,
    headers,
    params: init.params ?? {},
    query,
    text: () => Promise.resolve(text),
    arrayBuffer: () => Promise.resolve(new TextEncoder().encode(text).buffer),
  };
}

// Test bodies are asserted field by field; `any` keeps those assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jsonOf(response: { body?: string | Uint8Array }): any {
  const body = response.body;
  return JSON.parse(typeof body === "string" ? body : Buffer.from(body ?? "").toString("utf8"));
}
