import { readdirSync } from "node:fs";
import { join } from "node:path";
import { STEP_LINE_PREFIX, formatStepLine } from "../../shared/adapters/logging/stepLine";
import { ORDER_FAILURE_REASONS } from "../../shared/domain/orderStatus";
import {
  REPO_ROOT,
  bicepResourceBody,
  loadedFiles,
  readRepoFile,
  stripBicepComments,
} from "./bicepText";

const QUERIES = "bicep/queries";
const queryFiles = readdirSync(join(REPO_ROOT, QUERIES)).map((f) => `${QUERIES}/${f}`);
const functionsSource = readdirSync(join(REPO_ROOT, "functions"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readRepoFile(`functions/${f}`))
  .join("\n");

/** The structured log fields the app writes and the queries read (README: "Runbook"). */
const LOG_FIELDS = [
  "orderId",
  "correlationId",
  "step",
  "outcome",
  "durationMs",
  "failureReason",
  "status",
];

describe("workbook and alert queries", () => {
  it("every query file is used by the workbook or an alert, or is the runbook's order trace", () => {
    const used = new Set([
      ...loadedFiles("bicep/modules/workbook.bicep"),
      ...loadedFiles("bicep/modules/alerts.bicep"),
    ]);
    expect(queryFiles.filter((f) => !used.has(f) && !f.endsWith("order-trace.kql"))).toEqual([]);
    expect(readRepoFile("README.md")).toContain("bicep/queries/order-trace.kql");
  });

  it("the workbook has the four views operators asked for", () => {
    const workbook = stripBicepComments(readRepoFile("bicep/modules/workbook.bicep"));
    for (const title of [
      "Orders per minute",
      "Saga outcomes by failure reason",
      "Step latency (ms)",
      "Dead-letter depth by entity",
    ]) {
      expect(workbook).toContain(`title: '${title}'`);
    }
    expect(workbook).toMatch(/metric: 'microsoft\.servicebus\/namespaces--DeadletteredMessages'/);
    expect(workbook).toMatch(/splitBy: 'EntityName'/);
  });

  it("reads the step lines the app writes: the prefix it filters on and parses after, and their fields", () => {
    const prefix = JSON.stringify(STEP_LINE_PREFIX);
    const readers = queryFiles.filter((f) => /\bj\.\w+/.test(readRepoFile(f)));
    expect(readers.length).toBeGreaterThanOrEqual(3);
    for (const file of readers) {
      const kql = readRepoFile(file);
      expect(kql).toContain(`| where message startswith ${prefix}`);
      expect(kql).toContain(`| extend j = parse_json(substring(message, strlen(${prefix})))`);
      for (const m of kql.matchAll(/\bj\.(\w+)/g)) expect(LOG_FIELDS).toContain(m[1]);
    }
    // A whole message is never JSON: the prefix comes first.
    for (const file of queryFiles) expect(readRepoFile(file)).not.toContain("parse_json(message)");
  });

  it("the step line the queries parse is what the app writes", () => {
    const line = formatStepLine({
      orderId: "o-1",
      correlationId: "c-1",
      step: "Compensate",
      outcome: "Failed",
      durationMs: 5,
      failureReason: "OutOfStock",
      status: "Failed",
    });
    expect(line.startsWith(STEP_LINE_PREFIX)).toBe(true);
    const fields = JSON.parse(line.slice(STEP_LINE_PREFIX.length)) as Record<string, unknown>;
    for (const field of LOG_FIELDS) expect(fields).toHaveProperty(field);
  });

  it("keeps step lines out of adaptive sampling, so no order's story loses a step", () => {
    const host = JSON.parse(readRepoFile("host.json")) as {
      logging: { applicationInsights: { samplingSettings: { excludedTypes: string } } };
    };
    const excluded = host.logging.applicationInsights.samplingSettings.excludedTypes.split(";");
    expect(excluded).toContain("Trace");
  });

  it("knows every failure reason of the domain, and no other", () => {
    const kql = readRepoFile(`${QUERIES}/saga-outcomes.kql`);
    const listed = /outcome in \(("OutOfStock"[^)]*)\)/.exec(kql)?.[1] ?? "";
    const reasons = [...listed.matchAll(/"(\w+)"/g)].map((m) => m[1]!);
    expect([...reasons].sort()).toEqual([...ORDER_FAILURE_REASONS].sort());
  });

  it("counts orders from a function the app registers", () => {
    const kql = readRepoFile(`${QUERIES}/orders-per-minute.kql`);
    const name = /name == "(\w+)"/.exec(kql)?.[1];
    expect(name).toBeDefined();
    expect(functionsSource).toContain(`app.http("${name!}"`);
  });

  it("each alert points to a runbook section that exists", () => {
    const alerts = readRepoFile("bicep/modules/alerts.bicep");
    const readme = readRepoFile("README.md");
    const sections = [...alerts.matchAll(/Runbook: README\.md, "([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(sections).size).toBe(4);
    for (const section of sections) expect(readme).toMatch(new RegExp(`^#+ ${section}$`, "m"));
  });

  // requests/failed counts every request with success == false, 4xx included, and the API
  // answers 400/404/409 by design; the runbook alerts on 5xx and failed invocations.
  it("alerts on function failures with a log query that leaves out 4xx answers", () => {
    const alerts = readRepoFile("bicep/modules/alerts.bicep");
    expect(stripBicepComments(alerts)).not.toContain("requests/failed");
    const rule = bicepResourceBody(alerts, "functionFailures");
    expect(rule).toMatch(/'Microsoft\.Insights\/scheduledQueryRules@2022-06-15'/);
    expect(rule).toContain("loadTextContent('../queries/function-failures.kql')");
    expect(rule).toMatch(/threshold: functionFailureThreshold/);
    const kql = readRepoFile(`${QUERIES}/function-failures.kql`);
    expect(kql).toMatch(/^requests$/m);
    expect(kql).toMatch(/\| where success == false/);
    expect(kql).toContain('| where not(resultCode matches regex @"^4\\d\\d$")');
    const readme = readRepoFile("README.md");
    const section = readme.slice(readme.indexOf("#### Function failures"));
    expect(section).not.toContain("requests/failed");
    expect(section).toContain("bicep/queries/function-failures.kql");
  });
});
