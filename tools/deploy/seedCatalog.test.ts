import { createCosmosClient } from "../../shared/adapters/cosmos/createCosmosClient";
import { ensureContainers } from "../../shared/adapters/cosmos/ensureContainers";
import { CATALOG_SIZE } from "../../shared/catalog/catalogSeed";
import { COSMOS_CONTAINERS } from "../../shared/config/names";
import { loadSettings } from "../../shared/config/settings";
import { startTestStack, type TestStack } from "../../tests/support/testStack";
import { seedCatalogIfIncomplete } from "./seedCatalog";

// Against the local Cosmos stand-in, through the unmodified @azure/cosmos client.
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ host: false, standIns: { azurite: false, serviceBus: false } });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

it("seeds a deployed, empty products container once, and leaves live stock alone after", async () => {
  const sample = { ...stack.settings, FUNCTIONS_WORKER_RUNTIME: "node" };
  const settings = loadSettings({
    ...sample,
    ServiceBusConnection: "Endpoint=sb://localhost;SharedAccessKeyName=x;SharedAccessKey=y",
    AzureWebJobsStorage: "UseDevelopmentStorage=true",
    EMAIL_SENDER_ADDRESS: "orders@example.test",
    EMAIL_OUTBOX_DIR: ".local/outbox",
    PAYMENT_GATEWAY_API_KEY: "local",
    COSMOS_DATABASE_NAME: "seed-test",
  });
  const client = createCosmosClient(settings.cosmos);
  try {
    const database = await ensureContainers(client, "seed-test");
    const products = database.container(COSMOS_CONTAINERS.products.id);
    expect(await seedCatalogIfIncomplete(products)).toBe(CATALOG_SIZE);

    const { resources } = await products.items
      .query<{ sku: string; stock: number }>("SELECT * FROM c")
      .fetchAll();
    expect(resources).toHaveLength(CATALOG_SIZE);
    const first = resources[0]!;
    await products.item(first.sku, first.sku).replace({ ...first, id: first.sku, stock: 3 });

    expect(await seedCatalogIfIncomplete(products)).toBe(0);
    const { resource } = await products.item(first.sku, first.sku).read<{ stock: number }>();
    expect(resource?.stock).toBe(3);
  } finally {
    client.dispose();
  }
});
