/**
 * Paging through 250 orders over HTTP returns each exactly once, newest first, even while
 * new orders arrive between pages (keyset paging: newer orders sort before the cursor).
 * The host runs the API's functions alone, so 250 sagas do not load the machine.
 */
import { aCreateOrderRequest } from "../shared/contracts/testing/httpBuilders";
import type { OrderListResponse } from "../shared/contracts/http/orders";
import type { ApiResponse } from "../tests/support/apiClient";
import { useTestStack } from "../tests/support/useTestStack";

const { api } = useTestStack({ apiOnly: true });

async function place(customerId: string): Promise<string> {
  const result = await api.postOrder(customerId, aCreateOrderRequest());
  expect(result.status).toBe(202);
  return result.json.orderId as string;
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
    const response: ApiResponse<OrderListResponse> = await api.call(`/orders?${query}`, {
      customerId,
    });
    expect(response.status).toBe(200);
    const page = response.json;
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
