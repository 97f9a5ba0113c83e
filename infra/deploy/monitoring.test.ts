import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ORDER_FAILURE_REASONS } from "../../shared/domain/orderStatus";
import { REPO_ROOT, loadedFiles, readRepoFile, stripBicepComments } from "./bicepText";

const QUERIES = "bicep/queries";
const queryFiles = readdirSync(join(REPO_ROOT, QUERIES)).map((f) => `${QUERIES}/${f}`);
const functionsSource = readdirSync(join(REPO_ROOT, "functions"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readRepoFile(`functions/${f}`))
  .join("\n");

/** The structured log fields the app writes and the queries read (README: "Runbook"). */
const LOG_FIELDS = ["orderId", "correlationId", "step", "outcome", "durationMs", "failureReason"];

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

  it("reads only the structured log fields the app writes, from either place they land", () => {
    for (const file of queryFiles) {
      const kql = readRepoFile(file);
      for (const m of kql.matchAll(/coalesce\(customDimensions\.(\w+), j\.(\w+)\)/g)) {
        expect(m[1]).toBe(m[2]);
        expect(LOG_FIELDS).toContain(m[1]);
      }
    }
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
});
