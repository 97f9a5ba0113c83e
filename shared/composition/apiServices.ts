import type { CosmosClient } from "@azure/cosmos";
import type { ServiceBusClient } from "@azure/service-bus";
import { COSMOS_CONTAINERS, ORDER_EVENTS_TOPIC } from "../config/names";
import type { Settings } from "../config/settings";
import { CosmosCatalogRepository } from "../adapters/cosmos/cosmosCatalogRepository";
import { CosmosOrderRepository } from "../adapters/cosmos/cosmosOrderRepository";
import { createCosmosClient } from "../adapters/cosmos/createCosmosClient";
import { ensureContainers } from "../adapters/cosmos/ensureContainers";
import { createServiceBusClient } from "../adapters/servicebus/createServiceBusClient";
import { ServiceBusPublisher } from "../adapters/servicebus/serviceBusPublisher";
import { createJoseTokenVerifier } from "../adapters/identity/joseTokenVerifier";
import { createStorageProbe } from "../adapters/storage/createStorageProbe";
import { CachedCatalogPrices } from "../catalog/cachedCatalogPrices";
import { CATALOG_SIZE, catalogSeed, catalogSku } from "../catalog/catalogSeed";
import { headerIdentity, tokenIdentity, type IdentityStep } from "../handlers/http/authenticate";
import {
  systemClock,
  uuidGenerator,
  type CatalogPrices,
  type Clock,
  type HealthProbe,
  type IdGenerator,
  type MessageLog,
} from "../ports";
import { createProcessLogger } from "./processLogger";

/** Tunables of the Order API that are not app settings. */
export const API_TUNING = {
  publishTimeoutInMs: 3_000,
  healthTimeoutInMs: 2_000,
  sentOutboxTtlInSeconds: 7 * 86_400,
  outboxGraceInMs: 10_000,
  outboxBatchSize: 100,
} as const;

/** Everything the Order API's handlers need, built once per process from validated settings. */
export interface ApiServices {
  readonly settings: Settings;
  readonly cosmos: CosmosClient;
  readonly serviceBus: ServiceBusClient;
  readonly orders: CosmosOrderRepository;
  readonly catalog: CosmosCatalogRepository;
  /** The catalog's prices as orders are priced from them, cached for a bounded time. */
  readonly prices: CatalogPrices;
  readonly publisher: ServiceBusPublisher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: MessageLog;
  readonly probes: readonly HealthProbe[];
  /** Who calls: from the bearer token or the identity headers (AUTH_MODE). */
  readonly identity: IdentityStep;
  /** Resolves once the store is usable (locally: containers created, catalog seeded). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the API's clients and repositories. Locally (connection-string Cosmos) it also
 * creates the database and containers and seeds the catalog, create-if-absent, so a fresh
 * machine works on first start; in Azure, Bicep owns the containers and the identity has no
 * rights to create them.
 */
export function createApiServices(settings: Settings, clock: Clock = systemClock): ApiServices {
  const logger = createProcessLogger({ format: settings.logFormat, component: "order-api", clock });
  const cosmos = createCosmosClient(settings.cosmos);
  const database = cosmos.database(settings.cosmos.databaseName);
  const ordersContainer = database.container(COSMOS_CONTAINERS.orders.id);
  const ledger = database.container(COSMOS_CONTAINERS.ledger.id);
  const products = database.container(COSMOS_CONTAINERS.products.id);
  const orders = new CosmosOrderRepository({
    orders: ordersContainer,
    ledger,
    clock,
    idempotencyTtlInSeconds: settings.idempotencyTtlInSeconds,
    sentOutboxTtlInSeconds: API_TUNING.sentOutboxTtlInSeconds,
  });
  const catalog = new CosmosCatalogRepository(products);
  const prices = new CachedCatalogPrices(catalog, settings.catalogPriceCacheInMs, () =>
    clock.now().getTime(),
  );
  const serviceBus = createServiceBusClient(settings.serviceBus);
  const publisher = new ServiceBusPublisher(serviceBus);

  const ready =
    settings.cosmos.connection.kind === "connectionString"
      ? (async () => {
          await ensureContainers(cosmos, settings.cosmos.databaseName);
          const last = await catalog.get(catalogSku(CATALOG_SIZE));
          if (last === undefined) {
            const created = await catalog.seed(catalogSeed());
            logger.info("catalog seeded", { created });
          }
        })()
      : Promise.resolve();
  // A failed bootstrap is reported by each request that awaits `ready`; keep it observed.
  ready.catch((error: unknown) =>
    logger.error("Cosmos bootstrap failed", {
      error: error instanceof Error ? error.message : String(error),
    }),
  );

  const probes: HealthProbe[] = [
    {
      name: "cosmos",
      async check(abortSignal) {
        // Locally the database is created at start-up: until then Cosmos is not usable, and
        // a read would only report an unnamed 404.
        await ready;
        await database.read({ abortSignal });
      },
    },
    {
      name: "serviceBus",
      async check(abortSignal) {
        await publisher.probe(ORDER_EVENTS_TOPIC, abortSignal);
      },
    },
    createStorageProbe(settings.storage),
  ];

  const { auth } = settings;
  const identity =
    auth.mode === "token"
      ? tokenIdentity(
          createJoseTokenVerifier({
            openIdConfigUrl: auth.openIdConfigUrl,
            issuer: auth.issuer,
            audiences: auth.audiences,
          }),
          logger,
        )
      : headerIdentity;

  return {
    settings,
    cosmos,
    serviceBus,
    orders,
    catalog,
    prices,
    publisher,
    clock,
    ids: uuidGenerator,
    logger,
    probes,
    identity,
    ready,
    async close() {
      await publisher.close();
      await serviceBus.close();
      cosmos.dispose();
    },
  };
}
