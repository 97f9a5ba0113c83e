import { DefaultAzureCredential } from "@azure/identity";
import { HubConnectionBuilder, LogLevel, type HubConnection } from "@microsoft/signalr";
import { startStandIns, type RunningStandIns } from "@order-processing/local-runtime/testing";
import jwt from "jsonwebtoken";
import { recordingInvocation } from "../adapters/logging/testing/recordingInvocation";
import { createSignalRLiveStatusPush } from "../adapters/signalr/signalRLiveStatusPush";
import { catalogSeed } from "../catalog/catalogSeed";
import { SIGNALR_HUB } from "../config/names";
import { loadSettings } from "../config/settings";
import {
  ORDER_STATUS_CHANGED,
  OrderStatusChangedSchema,
} from "../contracts/live/orderStatusChanged";
import { aCreateOrderRequest } from "../contracts/testing/httpBuilders";
import { createOrder } from "../domain";
import { startApiTestbed, type ApiTestbed } from "../handlers/testing/apiTestbed";
import { recordingPublisher } from "../workers/testing/workerTestbed";
import { createSagaActivities } from "./createSagaActivities";
import { SAGA_ACTIVITIES } from "./names";

/** The key Microsoft's emulator documents, which the local stand-in signs with. */
const LOCAL_KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";

let bed: ApiTestbed;
let standIns: RunningStandIns;
const clients: HubConnection[] = [];
beforeAll(async () => {
  bed = await startApiTestbed();
  standIns = await startStandIns({ azurite: false, cosmos: false, serviceBus: false });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await standIns.stop();
  await bed.close();
});

function signalRSettings(connectionString = standIns.settings.AzureSignalRConnectionString!) {
  return loadSettings({
    AzureWebJobsStorage: "UseDevelopmentStorage=true",
    ServiceBusConnection: "Endpoint=sb://localhost;SharedAccessKeyName=k;SharedAccessKey=v;",
    CosmosDbConnection: "AccountEndpoint=https://127.0.0.1:1/;AccountKey=a2V5;",
    AzureSignalRConnectionString: connectionString,
    PAYMENT_GATEWAY_API_KEY: "k",
    EMAIL_SENDER_ADDRESS: "orders@example.test",
    EMAIL_OUTBOX_DIR: ".local/outbox",
  }).signalR;
}

function activities(connectionString?: string) {
  return createSagaActivities({
    orders: bed.orders,
    publisher: recordingPublisher(),
    live: createSignalRLiveStatusPush({
      settings: signalRSettings(connectionString),
      hub: SIGNALR_HUB,
      credential: () => new DefaultAzureCredential(),
      timeoutInMs: 2000,
    }),
  });
}

/** A browser-like client of one customer, connected straight to the service with its token. */
async function customerPage(customerId: string) {
  const url = `${standIns.signalR!.endpoint}/client/?hub=${SIGNALR_HUB}`;
  const token = jwt.sign({ nameid: customerId }, LOCAL_KEY, { audience: url, expiresIn: 600 });
  const connection = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => token })
    .configureLogging(LogLevel.None)
    .build();
  const received: unknown[] = [];
  const waiters: Array<() => void> = [];
  connection.on(ORDER_STATUS_CHANGED, (change: unknown) => {
    received.push(change);
    waiters.splice(0).forEach((w) => w());
  });
  await connection.start();
  clients.push(connection);
  const next = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (received.length >= count ? resolve() : waiters.push(check));
      check();
    });
  return { received, next };
}

let seq = 0;
async function placed() {
  const orderId = `live-order-${++seq}`;
  const customerId = `live-customer-${seq}`;
  const order = createOrder(
    { orderId, customerId, ...aCreateOrderRequest() },
    catalogSeed(3),
    bed.clock.now(),
  );
  await bed.orders.placeOrder({
    order,
    outbox: {
      eventId: `placed-${orderId}`,
      customerId,
      orderId,
      destination: "order-events",
      envelope: { id: `placed-${orderId}` } as never,
      createdAt: bed.clock.now().toISOString(),
    },
  });
  return {
    orderId,
    customerId,
    trace: { orderId, correlationId: `corr-${orderId}`, causationId: "e" },
  };
}

const update = (
  acts: ReturnType<typeof activities>,
  placedOrder: Awaited<ReturnType<typeof placed>>,
  status: "InventoryReserved" | "Failed",
  at: string,
  log = recordingInvocation(SAGA_ACTIVITIES.updateOrderStatus).log,
) =>
  acts[SAGA_ACTIVITIES.updateOrderStatus](
    {
      orderId: placedOrder.orderId,
      customerId: placedOrder.customerId,
      status,
      failureReason: status === "Failed" ? "OutOfStock" : null,
      at,
      trace: placedOrder.trace,
      step: { step: "Reserve", outcome: "Succeeded", durationMs: 1 },
    },
    log,
  );

describe("live status from the saga's status activity", () => {
  it("pushes orderStatusChanged with the new timeline entry to the order's customer only", async () => {
    const ada = await placed();
    const bob = await placed();
    const adaPage = await customerPage(ada.customerId);
    const bobPage = await customerPage(bob.customerId);
    const at = "2026-01-01T00:00:05.000Z";
    await update(activities(), ada, "InventoryReserved", at);
    await update(activities(), bob, "Failed", "2026-01-01T00:00:06.000Z");
    await Promise.all([adaPage.next(1), bobPage.next(1)]);
    expect(adaPage.received).toEqual([
      { orderId: ada.orderId, status: "InventoryReserved", failureReason: null, at, updatedAt: at },
    ]);
    expect(OrderStatusChangedSchema.parse(bobPage.received[0])).toMatchObject({
      orderId: bob.orderId,
      status: "Failed",
      failureReason: "OutOfStock",
    });
    expect(bobPage.received).toHaveLength(1);
  });

  it("pushes again when a retry finds its status already written (the first push may be lost)", async () => {
    const ada = await placed();
    const page = await customerPage(ada.customerId);
    const at = "2026-01-01T00:01:00.000Z";
    expect((await update(activities(), ada, "InventoryReserved", at)).applied).toBe(true);
    expect((await update(activities(), ada, "InventoryReserved", at)).applied).toBe(false);
    await page.next(2);
    expect(page.received[1]).toEqual(page.received[0]);
  });

  it.each([
    [
      "refuses the push (wrong key: 401)",
      () =>
        `Endpoint=${standIns.signalR!.endpoint};AccessKey=not-the-service-key-0123456789abcdef;Version=1.0;`,
    ],
    ["cannot be reached", () => "Endpoint=http://127.0.0.1:9;AccessKey=k;Version=1.0;"],
  ])(
    "never fails the step when the service %s: the status is stored, a warning is logged",
    async (_name, connection) => {
      const ada = await placed();
      const invocation = recordingInvocation(SAGA_ACTIVITIES.updateOrderStatus);
      const result = await update(
        activities(connection()),
        ada,
        "InventoryReserved",
        "2026-01-01T00:02:00.000Z",
        invocation.log,
      );
      expect(result).toEqual({ applied: true, status: "InventoryReserved", failureReason: null });
      expect((await bed.orders.get(ada.customerId, ada.orderId))?.order.status).toBe(
        "InventoryReserved",
      );
      expect(invocation.steps()).toEqual(
        expect.arrayContaining([
          {
            level: "warning",
            fields: expect.objectContaining({
              orderId: ada.orderId,
              step: "LiveStatusPush",
              outcome: "Failed",
            }),
          },
          {
            level: "information",
            fields: expect.objectContaining({ step: "Reserve", applied: true }),
          },
        ]),
      );
    },
  );
});
