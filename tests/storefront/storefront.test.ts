/// <reference lib="dom" />
/**
 * The storefront in a real browser, against the whole local stack: a customer adds to the
 * cart, checks out with tok_visa and sees Confirmed arrive without reloading (pushed through
 * the SignalR Service stand-in), then places a tok_timeout order, cancels it and sees
 * Cancelled. Screenshots are saved under .local/screenshots/, the two the README shows (order
 * placed; order confirmed live) under docs/images/, and their paths printed.
 */
import path from "node:path";
import type { HTTPRequest, Page } from "puppeteer-core";
import { startSagaStack, type SagaStack } from "../saga/sagaStack";
import { waitFor } from "../support/waitFor";
import {
  README_SCREENSHOT_DIR,
  SCREENSHOT_DIR,
  launchChromium,
  type RunningBrowser,
} from "./browser";

jest.setTimeout(240_000);

let stack: SagaStack;
let chromium: RunningBrowser;
let page: Page;

beforeAll(async () => {
  chromium = await launchChromium();
  // Long enough that the tok_timeout order is still waiting for payment when it is cancelled.
  stack = await startSagaStack({ timeoutSeconds: 120 });
  page = await chromium.browser.newPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await stack?.stop();
});

async function screenshot(name: string, dir = SCREENSHOT_DIR): Promise<void> {
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`Screenshot: ${file}`);
}

const statusOf = () => page.$eval("#order-status", (node) => node.getAttribute("data-status"));

/**
 * Waits until the watched order shows `status`. On a timeout the error says what the page
 * showed, what the saga instance was doing and the host's lines about the order, so a
 * failure in CI explains itself.
 */
async function waitForShownStatus(status: string): Promise<void> {
  try {
    await page.waitForSelector(`#order-status[data-status="${status}"]`, { timeout: 90_000 });
  } catch (error) {
    const shown = await statusOf();
    const title = await page.$eval("#order-title", (node) => node.textContent ?? "");
    const prefix = title.replace(/^Order /, "");
    const orderId = await page
      .$eval(`#order-list li[data-order^="${prefix}"]`, (node) => node.getAttribute("data-order"))
      .catch(() => null);
    const instance = orderId ? (await stack.api.sagaInstance(orderId)).text : "not listed";
    const lines = stack.hosts.flatMap((host) => host.lines.filter((l) => l.includes(prefix)));
    throw new Error(
      [
        `The page shows ${shown}, not ${status}, for ${title} (${orderId ?? "id unknown"}).`,
        `Saga instance: ${instance}`,
        `Host lines naming it:`,
        ...lines.slice(-40),
      ].join("\n"),
      { cause: error },
    );
  }
}

interface StoredOrder {
  readonly orderId: string;
  readonly status: string;
  readonly failureReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly timeline: readonly unknown[];
}

const isOrderRead = (request: HTTPRequest) =>
  request.method() === "GET" && /^\/api\/orders\/[^/]+$/.test(new URL(request.url()).pathname);
const isOrderListRead = (request: HTTPRequest) =>
  request.method() === "GET" && new URL(request.url()).pathname === "/api/orders";

/** How long a test waits for the page to make a request it holds. */
const HELD_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Runs `steps` with the page's requests intercepted: the first request each matcher accepts is
 * held, and `held[kind]()` resolves with it for the test to answer; every other request goes
 * on. A request that does not come within HELD_REQUEST_TIMEOUT_MS fails the test with what the
 * page asked for meanwhile and what it shows, and the interception ends with the steps either
 * way, so a failed test leaves no handler behind to swallow the next test's requests.
 */
async function withHeldRequests<K extends string>(
  matchers: Record<K, (request: HTTPRequest) => boolean>,
  steps: (held: Record<K, () => Promise<HTTPRequest>>) => Promise<void>,
): Promise<void> {
  const kinds = Object.keys(matchers) as K[];
  const caught = new Map<K, HTTPRequest>();
  const waiting = new Map<K, (request: HTTPRequest) => void>();
  const seen: string[] = [];
  const onRequest = (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    seen.push(`${request.method()} ${new URL(request.url()).pathname}`);
    const kind = kinds.find((k) => !caught.has(k) && matchers[k](request));
    if (kind === undefined) return void request.continue();
    caught.set(kind, request);
    waiting.get(kind)?.(request);
  };
  const heldRequest = async (kind: K): Promise<HTTPRequest> => {
    const already = caught.get(kind);
    if (already) return already;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        new Promise<HTTPRequest>((resolve) => waiting.set(kind, resolve)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => void explainMissing(kind, seen).then(reject, reject),
            HELD_REQUEST_TIMEOUT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      waiting.delete(kind);
    }
  };
  const held = Object.fromEntries(kinds.map((kind) => [kind, () => heldRequest(kind)])) as Record<
    K,
    () => Promise<HTTPRequest>
  >;
  page.on("request", onRequest);
  await page.setRequestInterception(true);
  try {
    await steps(held);
  } finally {
    page.off("request", onRequest);
    await page.setRequestInterception(false);
  }
}

async function explainMissing(kind: string, seen: readonly string[]): Promise<Error> {
  const notice = await page.$eval("#notice", (node) => node.textContent ?? "").catch(String);
  return new Error(
    [
      `The page made no ${kind} request within ${HELD_REQUEST_TIMEOUT_MS} ms.`,
      `It shows ${await statusOf().catch(String)}; its notice says "${notice}".`,
      `Requests it made meanwhile: ${seen.join(", ") || "none"}.`,
    ].join("\n"),
  );
}

/** What the API answers to a request the page made, asked again from here with its headers. */
async function readAs<T>(request: HTTPRequest): Promise<T> {
  const response = await fetch(request.url(), { headers: request.headers() });
  return (await response.json()) as T;
}

function respondJson(request: HTTPRequest, body: unknown): Promise<void> {
  return request.respond({
    status: 200,
    contentType: "application/json",
    body: JSON.stringify(body),
  });
}

/** Opens the shop afresh as a new customer, and waits until it is live. */
async function signIn(customerId: string): Promise<void> {
  await page.goto(`${stack.host.baseUrl}/api/shop/`, { waitUntil: "load" });
  await page.$eval("#customer-id", (node) => ((node as HTMLInputElement).value = ""));
  await page.type("#customer-id", customerId);
  await page.click("#identity button");
  await page.waitForSelector('#live-state[data-state="live"]');
  await page.waitForSelector("#products [data-test=add]:not([disabled])");
}

/** Puts the first product that can be had in the cart and places the order with `token`. */
async function submitCheckout(token: string): Promise<void> {
  await page.click("#products [data-test=add]:not([disabled])");
  await page.waitForSelector("#cart-lines li");
  await page.select("#payment-token", token);
  await page.click("#place-order");
}

async function addFirstProductAndCheckOut(token: string): Promise<string> {
  await submitCheckout(token);
  await page.waitForFunction(
    (previous) => {
      const title = document.querySelector("#order-title")?.textContent ?? "";
      return !document.querySelector("#order")?.hasAttribute("hidden") && title !== previous;
    },
    {},
    await page.$eval("#order-title", (node) => node.textContent ?? ""),
  );
  // Checkout is over once the list and the catalog are re-read too: until then the page may
  // still move under a click.
  await page.waitForSelector("#checkout:not([aria-busy])");
  return page.$eval("#order-title", (node) => node.textContent ?? "");
}

describe("storefront in headless Chromium", () => {
  it("checks out with tok_visa and shows Confirmed live, then cancels a tok_timeout order", async () => {
    const customerId = `browser-${Date.now()}`;
    await page.goto(`${stack.host.baseUrl}/api/shop`, { waitUntil: "load" });
    expect(page.url()).toBe(`${stack.host.baseUrl}/api/shop/`);
    await page.type("#customer-id", customerId);
    await page.click("#identity button");
    await page.waitForSelector("#products [data-test=add]:not([disabled])");
    await page.waitForSelector('#live-state[data-state="live"]');
    // Set once; a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { storefrontLoad: number }).storefrontLoad = 1;
    });

    await addFirstProductAndCheckOut("tok_visa");
    // As soon as the 202 is in: the order as placed, before the saga has moved it far.
    await screenshot("storefront-order-placed", README_SCREENSHOT_DIR);
    await waitForShownStatus("Confirmed");
    // Confirmed came as a push to this customer, on the same page load.
    expect(await page.$('#timeline li[data-status="Confirmed"][data-via="push"]')).not.toBeNull();
    expect(
      await page.evaluate(() => ({
        load: (window as unknown as { storefrontLoad?: number }).storefrontLoad,
        navigations: performance.getEntriesByType("navigation").length,
      })),
    ).toEqual({ load: 1, navigations: 1 });
    await page.waitForSelector('#order-list li [data-status="Confirmed"]');
    await screenshot("storefront-order-confirmed-live", README_SCREENSHOT_DIR);

    await addFirstProductAndCheckOut("tok_timeout");
    await page.waitForSelector("#cancel-order:not([hidden])");
    expect(["Pending", "InventoryReserved"]).toContain(await statusOf());
    await page.click("#cancel-order");
    await waitForShownStatus("Cancelled");
    expect(await page.$eval("#order-reason", (node) => node.textContent)).toBe(
      "CancelledByCustomer",
    );
    expect(await page.$("#cancel-order[hidden]")).not.toBeNull();
    await screenshot("storefront-cancelled");
  });

  it("keeps a pushed status when an older read of the order arrives after it", async () => {
    await signIn(`browser-late-read-${Date.now()}`);
    // The read the page makes right after checkout: the order as placed, soon out of date.
    const placedRead = page.waitForResponse((r) => isOrderRead(r.request()));
    await addFirstProductAndCheckOut("tok_timeout");
    const stale = await placedRead;
    const staleBody = await stale.text();
    expect(["Pending", "InventoryReserved"]).toContain(JSON.parse(staleBody).status);

    // The read that follows the cancel is held until the pushes have shown Cancelled, then
    // answered with the out-of-date order, as a slow read racing the saga would be.
    await withHeldRequests(
      { read: (request) => request.url() === stale.url() && isOrderRead(request) },
      async (held) => {
        await page.click("#cancel-order");
        const read = await held.read();
        await waitForShownStatus("Cancelled");
        await respondJson(read, JSON.parse(staleBody));
        await page.waitForNetworkIdle({ idleTime: 250 });
      },
    );
    expect(await statusOf()).toBe("Cancelled");
    expect(await page.$('#timeline li[data-status="Cancelled"][data-via="push"]')).not.toBeNull();
  });

  it("shows a status pushed while the order's first reads were on their way", async () => {
    await signIn(`browser-early-push-${Date.now()}`);
    // Every hub message the page receives, as the browser sees it on the WebSocket.
    const cdp = await page.createCDPSession();
    await cdp.send("Network.enable");
    const frames: string[] = [];
    cdp.on("Network.webSocketFrameReceived", ({ response }) => frames.push(response.payloadData));

    // The reads the page makes right after checkout (the order, then the list of orders) are
    // held until the saga's last push has reached the page, then answered with the order as
    // placed, as slow reads would be.
    try {
      await withHeldRequests({ order: isOrderRead, list: isOrderListRead }, async (held) => {
        await submitCheckout("tok_decline");
        const orderRead = await held.order();
        const orderId = decodeURIComponent(
          new URL(orderRead.url()).pathname.split("/").pop() ?? "",
        );
        const asPlaced = (order: StoredOrder): StoredOrder => ({
          ...order,
          status: "Pending",
          failureReason: null,
          timeline: order.timeline.slice(0, 1),
          updatedAt: order.createdAt,
        });
        const stored = await readAs<StoredOrder>(orderRead);
        await waitFor(
          () =>
            frames.some((f) => f.includes(orderId) && f.includes('"status":"Failed"'))
              ? true
              : undefined,
          { what: `the Failed push of ${orderId} on the page's WebSocket`, timeoutMs: 90_000 },
        );
        await respondJson(orderRead, asPlaced(stored));
        await waitForShownStatus("Failed");

        const listRead = await held.list();
        const list = await readAs<{ items: StoredOrder[] }>(listRead);
        await respondJson(listRead, {
          ...list,
          items: list.items.map((o) => (o.orderId === orderId ? asPlaced(o) : o)),
        });
        await page.waitForSelector(
          `#order-list li[data-order="${orderId}"] [data-status="Failed"]`,
        );
      });
    } finally {
      await cdp.detach();
    }
    expect(await page.$eval("#order-reason", (node) => node.textContent)).toBe("PaymentDeclined");
    expect(await page.$('#timeline li[data-status="Failed"][data-via="push"]')).not.toBeNull();
  });

  it("falls back to polling while SignalR Service is down, and goes live again after", async () => {
    await signIn(`browser-outage-${Date.now()}`);
    const signalR = stack.standIns.signalR!;
    signalR.setUnavailable(true);
    try {
      await page.waitForSelector('#live-state[data-state="polling"]');
      await addFirstProductAndCheckOut("tok_visa");
      await waitForShownStatus("Confirmed");
      // Nothing was pushed: the page read it while polling.
      expect(await page.$('#timeline li[data-status="Confirmed"][data-via="read"]')).not.toBeNull();
      await screenshot("storefront-polling");
    } finally {
      signalR.setUnavailable(false);
    }
    await page.waitForSelector('#live-state[data-state="live"]', { timeout: 30_000 });
  });
});
