/**
 * What one order would cost in Azure, estimated from what the local stack was asked to do.
 *
 * Cosmos DB request units, by operation kind and document size, from Microsoft's table of
 * measured charges ("Understand request unit consumption",
 * https://learn.microsoft.com/azure/cosmos-db/understand-request-unit-consumption: a 1 KB
 * point read is 1.00 RU, 2 KB 1.04, 4 KB 1.14, 8 KB 1.33, 16 KB 1.67; a 1 KB write 4.95 RU,
 * 2 KB 6.29, 4 KB 6.67, 8 KB 7.04, 16 KB 9.52; session consistency, default indexing).
 * Assumptions where the page gives no figure:
 * - create, upsert, replace, patch and delete cost a write of the document's size (a patch
 *   rewrites and re-indexes the whole document; a replace or an upsert over an existing one
 *   also removes its old index terms, so the figure is a floor);
 * - a transactional batch costs the sum of its operations (each charged as a write);
 * - a query costs 2.5 RU (Microsoft: "potentially more than point operations"; a
 *   single-partition query on an index is a few RU) plus a point read per document returned;
 * - metadata requests (account, database, container, partition key ranges) are the SDK's
 *   cached lookups and are charged nothing here; nor is the query plan the SDK asks for
 *   before a query's first page (the gateway derives it from the query text, reading no
 *   documents), though it is counted as a request.
 *
 * Storage transactions of Durable's Azure Storage provider, estimated per episode and
 * activity ("Durable Functions billing",
 * https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-billing, and the
 * provider's design in "Performance and scale in Durable Functions"): every message to an
 * orchestration (its start, an activity's answer, a raised event, a timer) is a control-queue
 * message, and every activity a work-item message, each put, got and deleted (3 queue
 * operations); every episode reads the history (1 query, extended sessions off), writes its
 * new history rows (1 batch) and updates the instance row (1). Queue polling while idle is
 * left out (it depends on the idle time, not on the orders).
 */
import prices from "./azurePrices.json";

export interface CosmosKindStats {
  requests: number;
  documents: number;
  documentBytes: number;
}

/** Cosmos requests by `"<kind> <container>"`, as the local Cosmos server counts them. */
export type CosmosStats = Record<string, CosmosKindStats>;

const READ_RU: ReadonlyArray<[number, number]> = [
  [1, 1.0],
  [2, 1.04],
  [4, 1.14],
  [8, 1.33],
  [16, 1.67],
  [32, 2.19],
  [64, 4.76],
];
const WRITE_RU: ReadonlyArray<[number, number]> = [
  [1, 4.95],
  [2, 6.29],
  [4, 6.67],
  [8, 7.04],
  [16, 9.52],
  [32, 11.23],
  [64, 22.67],
];
const QUERY_BASE_RU = 2.5;

/** The charge for a document of `kb` KB, interpolated in the table (at least its first row). */
function charge(table: ReadonlyArray<[number, number]>, kb: number): number {
  let previous = table[0] as [number, number];
  if (kb <= previous[0]) return previous[1];
  for (const row of table.slice(1)) {
    if (kb <= row[0]) {
      const share = (kb - previous[0]) / (row[0] - previous[0]);
      return previous[1] + share * (row[1] - previous[1]);
    }
    previous = row;
  }
  return previous[1] * (kb / previous[0]);
}

export function estimatedRu(kind: string, stats: CosmosKindStats): number {
  const documents = Math.max(stats.documents, 0);
  const averageKb = documents > 0 ? stats.documentBytes / documents / 1024 : 0;
  switch (kind) {
    case "read":
      return stats.requests * charge(READ_RU, averageKb);
    case "query":
      return stats.requests * QUERY_BASE_RU + documents * charge(READ_RU, averageKb);
    case "create":
    case "upsert":
    case "replace":
    case "patch":
    case "delete":
    case "batch":
      return documents * charge(WRITE_RU, averageKb);
    default:
      return 0;
  }
}

export interface CosmosCostRow {
  readonly operation: string;
  readonly requestsPerOrder: number;
  readonly ruPerOrder: number;
}

export interface StorageEstimate {
  readonly queueOperations: number;
  readonly tableTransactions: number;
}

/** The Azure Storage provider's transactions for this many episodes and activities. */
export function durableStorageEstimate(episodes: number, activities: number): StorageEstimate {
  // Messages to orchestrations: each episode consumes at least one (start, answer, event,
  // timer); activities add their work-item messages.
  return { queueOperations: 3 * (episodes + activities), tableTransactions: 3 * episodes };
}

export interface OrderCostInput {
  readonly orders: number;
  readonly cosmos: CosmosStats;
  /** Service Bus operations (sends, deliveries, settlements, management requests). */
  readonly serviceBusOperations: number;
  /** Orchestrator episodes and activity executions. */
  readonly episodes: number;
  readonly activities: number;
  /** Function executions of every kind (HTTP, Service Bus, orchestrator, activity). */
  readonly executions: number;
  /** Host instances busy for `seconds` (Flex Consumption bills the time an instance executes). */
  readonly instanceSeconds: number;
  /** Instance memory (Flex Consumption: 2,048 MB by default). */
  readonly instanceMemoryGb?: number;
}

export interface OrderCost {
  readonly cosmos: CosmosCostRow[];
  readonly cosmosRequestsPerOrder: number;
  readonly ruPerOrder: number;
  readonly serviceBusOperationsPerOrder: number;
  readonly storagePerOrder: StorageEstimate;
  readonly executionsPerOrder: number;
  readonly gbSecondsPerOrder: number;
  /** Estimated USD per 1,000 orders, by service and in total. */
  readonly usdPer1000Orders: Record<string, number>;
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

export function orderCost(input: OrderCostInput): OrderCost {
  const orders = Math.max(1, input.orders);
  const rows: CosmosCostRow[] = [];
  let requests = 0;
  let ru = 0;
  for (const [key, stats] of Object.entries(input.cosmos)) {
    const kind = key.split(" ")[0] ?? key;
    const rowRu = estimatedRu(kind, stats);
    requests += stats.requests;
    ru += rowRu;
    rows.push({
      operation: key,
      requestsPerOrder: round(stats.requests / orders),
      ruPerOrder: round(rowRu / orders),
    });
  }
  rows.sort((a, b) => b.ruPerOrder - a.ruPerOrder);
  const storage = durableStorageEstimate(input.episodes / orders, input.activities / orders);
  const gbSeconds = ((input.instanceMemoryGb ?? 2) * input.instanceSeconds) / orders;
  const p = prices.prices;
  const thousand = {
    cosmos: (1000 * ru * p.cosmosServerlessPerMillionRU.price) / orders / 1e6,
    serviceBus:
      (1000 * input.serviceBusOperations * p.serviceBusStandardPerMillionOperations.price) /
      orders /
      1e6,
    storage:
      (1000 *
        (storage.queueOperations * p.queueOperationsPer10k.price +
          storage.tableTransactions * p.tableTransactionsPer10k.price)) /
      1e4,
    functionExecutions: (1000 * input.executions * p.flexExecutionsPerMillion.price) / orders / 1e6,
    functionMemory: 1000 * gbSeconds * p.flexGbSecond.price,
  };
  const total = Object.values(thousand).reduce((a, b) => a + b, 0);
  return {
    cosmos: rows,
    cosmosRequestsPerOrder: round(requests / orders),
    ruPerOrder: round(ru / orders),
    serviceBusOperationsPerOrder: round(input.serviceBusOperations / orders),
    storagePerOrder: {
      queueOperations: round(storage.queueOperations),
      tableTransactions: round(storage.tableTransactions),
    },
    executionsPerOrder: round(input.executions / orders),
    gbSecondsPerOrder: round(gbSeconds, 3),
    usdPer1000Orders: {
      ...Object.fromEntries(Object.entries(thousand).map(([k, v]) => [k, round(v, 4)])),
      total: round(total, 4),
    },
  };
}
