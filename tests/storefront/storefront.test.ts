/// <reference lib="dom" />
/**
 * The storefront in a real browser, against the whole local stack: a customer adds to the
 * cart, checks out with tok_visa and sees Confirmed arrive without reloading (pushed through
 * the SignalR Service stand-in), then places a tok_timeout order, cancels it and sees
 * Cancelled. Screenshots are saved under .local/screenshots/ and their paths printed.
 */
import path from "node:path";
import type { Page } from "puppeteer-core";
import { startSagaStack, type SagaStack } from "../saga/sagaStack";
import { SCREENSHOT_DIR, launchChromium, type RunningBrowser } from "./browser";

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

async function screenshot(name: string): Promise<void> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`Screenshot: ${file}`);
}

const statusOf = () => page.$eval("#order-status", (node) => node.getAttribute("data-status"));

async function addFirstProductAndCheckOut(token: string): Promise<string> {
  await page.click("#products [data-test=add]:not([disabled])");
  await page.waitForSelector("#cart-lines li");
  await page.select("#payment-token", token);
  await page.click("#place-order");
  await page.waitForFunction(
    (previous) => {
      const title = document.querySelector("#order-title")?.textContent ?? "";
      return !document.querySelector("#order")?.hasAttribute("hidden") && title !== previous;
    },
    {},
    await page.$eval("#order-title", (node) => node.textContent ?? ""),
  );
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
    await page.waitForSelector('#order-status[data-status="Confirmed"]', { timeout: 90_000 });
    // Confirmed came as a push to this customer, on the same page load.
    expect(await page.$('#timeline li[data-status="Confirmed"][data-via="push"]')).not.toBeNull();
    expect(
      await page.evaluate(() => ({
        load: (window as unknown as { storefrontLoad?: number }).storefrontLoad,
        navigations: performance.getEntriesByType("navigation").length,
      })),
    ).toEqual({ load: 1, navigations: 1 });
    await page.waitForSelector('#order-list li [data-status="Confirmed"]');
    await screenshot("storefront-confirmed");

    await addFirstProductAndCheckOut("tok_timeout");
    await page.waitForSelector("#cancel-order:not([hidden])");
    expect(["Pending", "InventoryReserved"]).toContain(await statusOf());
    await page.click("#cancel-order");
    await page.waitForSelector('#order-status[data-status="Cancelled"]', { timeout: 90_000 });
    expect(await page.$eval("#order-reason", (node) => node.textContent)).toBe(
      "CancelledByCustomer",
    );
    expect(await page.$("#cancel-order[hidden]")).not.toBeNull();
    await screenshot("storefront-cancelled");
  });

  it("falls back to polling while SignalR Service is down, and goes live again after", async () => {
    await page.goto(`${stack.host.baseUrl}/api/shop/`, { waitUntil: "load" });
    await page.$eval("#customer-id", (node) => ((node as HTMLInputElement).value = ""));
    await page.type("#customer-id", `browser-outage-${Date.now()}`);
    await page.click("#identity button");
    await page.waitForSelector('#live-state[data-state="live"]');
    await page.waitForSelector("#products [data-test=add]:not([disabled])");
    const signalR = stack.standIns.signalR!;
    signalR.setUnavailable(true);
    try {
      await page.waitForSelector('#live-state[data-state="polling"]');
      await addFirstProductAndCheckOut("tok_visa");
      await page.waitForSelector('#order-status[data-status="Confirmed"]', { timeout: 90_000 });
      // Nothing was pushed: the page read it while polling.
      expect(await page.$('#timeline li[data-status="Confirmed"][data-via="read"]')).not.toBeNull();
      await screenshot("storefront-polling");
    } finally {
      signalR.setUnavailable(false);
    }
    await page.waitForSelector('#live-state[data-state="live"]', { timeout: 30_000 });
  });
});
