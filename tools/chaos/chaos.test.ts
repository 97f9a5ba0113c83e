/**
 * The CI-sized chaos run (under 2 minutes): `npm start`'s stack with its default settings
 * and fault injection, 2 orders/s for 30 s, Cosmos answering 10% of document requests 429 for
 * the whole run, and the Functions host SIGKILLed once, 10 s in. Every order must end as its
 * token says, the invariants must hold and nothing may be dead-lettered. The defaults keep
 * the saga timeout rule (shared/config/sagaTimeoutRule.ts), so a command the killed host held
 * comes back before its step gives up.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { planFromJson } from "./chaosPlan";
import { runChaos } from "./runChaos";

let outDir: string;
beforeAll(() => {
  outDir = mkdtempSync(path.join(tmpdir(), "chaos-ci-"));
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it("keeps every order's outcome through a host kill and Cosmos throttling", async () => {
  const plan = planFromJson(
    {
      rate: 2,
      duration: "30s",
      faults: [
        { target: "cosmos", fault: "throttle", share: 0.1, for: "run" },
        { target: "host", fault: "kill", at: "10s" },
      ],
      settleTimeout: "6m",
    },
    "ci",
  );
  const { report, htmlFile } = await runChaos(plan, { outDir });

  expect(report.orders.accepted).toBe(60);
  expect(report.wrong).toEqual([]);
  expect(report.invariants.violations).toEqual([]);
  expect(report.invariants.ordersChecked).toBe(60);
  expect(report.deadLetters.filter((d) => d.count > 0)).toEqual([]);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  // The faults did happen, and the SDKs and the launcher rode them out.
  expect(report.standIns.cosmos.throttled).toBeGreaterThan(0);
  expect(report.standIns.host.kills).toBe(1);
  expect(report.standIns.host.restarts).toBe(1);
  const html = readFileSync(htmlFile, "utf8");
  expect(html).toContain("<svg ");
  expect(html).toContain("PASS");
}, 900_000);
