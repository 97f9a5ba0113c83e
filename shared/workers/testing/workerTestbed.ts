import type { Container, Database } from "@azure/cosmos";
import { CosmosClient } from "@azure/cosmos";
import { COSMOS_CONTAINERS } from "../../config/names";
import type { CloudEventAttributes } from "../../contracts/messages/envelope";
import { newEnvelope } from "../../contracts/messages/envelope";
import type { CloudEventSchema, OrderPayloadSchema } from "../../contracts/messages/envelope";
import { MESSAGE_SOURCES } from "../../contracts/messages/messageTypes";
import { startCosmosTestServer } from "@order-processing/local-runtime/testing";
import type { CosmosTestServer } from "@order-processing/local-runtime/testing";
import type { StepLog } from "../../ports/stepLog";
import type { MessagePublisher } from "../../ports/messagePublisher";
import type { ReceivedMessage } from "../receivedMessage";
import type { z } from "zod";

/**
 * Cosmos for worker tests: the real `@azure/cosmos` client against an in-process
 * `@vercel/cosmosdb-server`, with the three containers of `names.ts`, plus a publisher that
 * keeps what the worker sent (the replies are the worker's output, checked by the tests).
 */
export interface WorkerTestbed {
  readonly server: CosmosTestServer;
  readonly client: CosmosClient;
  readonly database: Database;
  readonly orders: Container;
  readonly products: Container;
  readonly ledger: Container;
  close(): Promise<void>;
}

export async function startWorkerTestbed(): Promise<WorkerTestbed> {
  const server = await startCosmosTestServer();
  const client = new CosmosClient({ endpoint: server.endpoint, key: "k", agent: server.agent });
  const { database } = await client.databases.createIfNotExists({ id: `db${Date.now()}` });
  const make = async (def: { id: string; partitionKeyPath: string }) =>
    (
      await database.containers.createIfNotExists({
        id: def.id,
        partitionKey: { paths: [def.partitionKeyPath] },
      })
    ).container;
  return {
    server,
    client,
    database,
    orders: await make(COSMOS_CONTAINERS.orders),
    products: await make(COSMOS_CONTAINERS.products),
    ledger: await make(COSMOS_CONTAINERS.ledger),
    async close() {
      client.dispose();
      await server.close();
    },
  };
}

export async function seedProduct(
  products: Container,
  sku: string,
  stock: number,
  counters: { reserved?: number; committed?: number } = {},
): Promise<void> {
  await products.items.upsert({
    id: sku,
    sku,
    name: `Product ${sku}`,
    description: "",
    price: { amount: 100, currency: "USD" },
    stock,
    reserved: counters.reserved ?? 0,
    committed: counters.committed ?? 0,
  });
}

export interface Sent {
  readonly destination: string;
  readonly envelope: CloudEventAttributes & { data: unknown };
}

/** A publisher that records; `failNext` makes the next publish throw (a broker hiccup). */
export function recordingPublisher(): MessagePublisher & { sent: Sent[]; failNext: number } {
  const publisher = {
    sent: [] as Sent[],
    failNext: 0,
    publish(destination: string, envelope: CloudEventAttributes & { data: unknown }) {
      if (publisher.failNext > 0) {
        publisher.failNext--;
        return Promise.reject(new Error("broker unavailable"));
      }
      publisher.sent.push({ destination, envelope });
      return Promise.resolve();
    },
  };
  return publisher;
}

let sequence = 0;

/** A valid command envelope as the saga sends it, as a received message body. */
export function aCommand<T extends string, D extends OrderPayloadSchema>(
  schema: CloudEventSchema<T, D>,
  data: z.input<D>,
  id = `cmd-${++sequence}`,
): ReceivedMessage & { body: unknown; messageId: string } {
  const envelope = newEnvelope(
    schema,
    {
      id,
      time: new Date("2026-01-01T00:00:00Z"),
      source: MESSAGE_SOURCES.saga,
      correlationid: `corr-${(data as { orderId: string }).orderId}`,
      causationid: "evt-0",
    },
    data,
  );
  return { body: JSON.parse(JSON.stringify(envelope)), messageId: id, log: silentStepLog };
}

/** For tests that do not look at step lines; `recordingInvocation` keeps them. */
export const silentStepLog: StepLog = { info: () => undefined, warn: () => undefined };
