/**
 * Headless Chromium from Debian's packages, driven by puppeteer-core (which downloads no
 * browser). A missing browser is a failure naming the install command, never a skip.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where screenshots go: `.local/screenshots/` under the repository (ignored by git). */
export const SCREENSHOT_DIR = path.resolve(__dirname, "../../.local/screenshots");

export interface RunningBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const profile = mkdtempSync(path.join(tmpdir(), "storefront-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
