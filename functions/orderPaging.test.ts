/**
 * Paging through 250 orders over HTTP returns each exactly once, newest first, even while
 * new orders arrive between pages (keyset paging: newer orders sort before the cursor).
 * The host runs the API's functions alone, so 250 sagas do not load the machine.
 */
import { aCreateOrderRequest } from "../shared/contracts/testing/httpBuilders";
import { apiOnlySettings } from "../tests/support/apiOnly";
import {
  startHostProcess,
  startStandIns,
  type HostProcess,
  type RunningStandIns,
} from "@order-processing/local-runtime/testing";

let standIns: RunningStandIns;
let host: HostProcess;

beforeAll(async () => {
  standIns = await startStandIns();
  try {
    host = await startHostProcess({
      env: { ...standIns.settings, ...apiOnlySettings() },
      readyTimeoutMs: 60_000,
    });
  } catch (error) {
    await standIns.stop();
    throw error;
  }
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await standIns?.stop();
});

async function place(customerId: string): Promise<string> {
  const response = await fetch(`${host.baseUrl}/api/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Customer-Id": customerId },
    body: JSON.stringify(aCreateOrderRequest()),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { orderId: string }).orderId;
}

it("pages through 250 orders, each exactly once, newest first", async () => {
  const customerId = "paging-http";
  const placed: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < 250) {
        next += 1;
        placed.push(await place(customerId));
      }
    }),
  );
  expect(new Set(placed).size).toBe(250);

  const seen: Array<{ orderId: string; createdAt: string }> = [];
  let token: string | null = null;
  do {
    const query = `limit=40${token === null ? "" : `&continuationToken=${encodeURIComponent(token)}`}`;
    const response = await fetch(`${host.baseUrl}/api/orders?${query}`, {
      headers: { "X-Customer-Id": customerId },
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      items: Array<{ orderId: string; createdAt: string }>;
      continuationToken: string | null;
    };
    seen.push(...page.items);
    token = page.continuationToken;
    // A newer order arriving mid-listing sorts before the cursor: it neither repeats nor shifts items.
    if (seen.length === 80) await place(customerId);
  } while (token !== null);

  expect(seen).toHaveLength(250);
  expect(new Set(seen.map((o) => o.orderId))).toEqual(new Set(placed));
  const createdAt = seen.map((o) => o.createdAt);
  expect([...createdAt].sort().reverse()).toEqual(createdAt);
}, 240_000);
