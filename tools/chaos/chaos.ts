/**
 * `npm run chaos -- [--plan file.json] [options]`: a chaos run against a stack it starts
 * itself with npm start's defaults, then its report. Exits 1 when an order did not end as its
 * token says, an invariant broke, or a message was dead-lettered.
 *
 *   --plan <file>          plan as JSON (tools/chaos/scenarios/ holds the runs)
 *   --rate <n>             orders per second (5)
 *   --duration <d>         arrivals for this long (60s)
 *   --tokens <t=w,...>     token mix (tok_visa=5,tok_flaky=2,tok_decline=2,tok_insufficient_funds=1)
 *   --fault "<target> <fault> [--at 10s] [--for 30s|run] [--every 20s] [--share 0.1] ..."  (repeatable)
 *   --set NAME=VALUE       a setting over npm start's defaults (repeatable)
 *   --out <dir>            where the report goes (.local/chaos/<time>-<name>)
 */
import path from "node:path";
import { REPO_ROOT } from "../repoRoot";
import {
  DEFAULT_PLAN,
  faultFromText,
  loadPlan,
  type ChaosFault,
  type ChaosPlan,
} from "./chaosPlan";
import { parseFaultDuration } from "@order-processing/local-runtime/faults";
import { runChaos } from "./runChaos";

function planFromArgs(argv: readonly string[]): { plan: ChaosPlan; out?: string } {
  let plan: ChaosPlan = DEFAULT_PLAN;
  const planIndex = argv.indexOf("--plan");
  if (planIndex >= 0) plan = loadPlan(path.resolve(argv[planIndex + 1] ?? ""));
  const faults: ChaosFault[] = [];
  const settings: Record<string, string> = {};
  let out: string | undefined;
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    switch (flag) {
      case "--plan":
        break;
      case "--rate":
        plan = { ...plan, rate: Number(value) };
        break;
      case "--duration": {
        const ms = parseFaultDuration(value);
        if (ms === undefined) throw new Error(`--duration "${value}" is not a duration.`);
        plan = { ...plan, durationMs: ms };
        break;
      }
      case "--tokens":
        plan = {
          ...plan,
          tokens: Object.fromEntries(
            value.split(",").map((pair) => {
              const [token, weight] = pair.split("=");
              return [token ?? "", weight === undefined ? 1 : Number(weight)];
            }),
          ),
        };
        break;
      case "--fault":
        faults.push(faultFromText(value));
        break;
      case "--set": {
        const eq = value.indexOf("=");
        if (eq <= 0) throw new Error(`--set "${value}": use NAME=VALUE.`);
        settings[value.slice(0, eq)] = value.slice(eq + 1);
        break;
      }
      case "--out":
        out = path.resolve(value);
        break;
      default:
        throw new Error(`Unknown option ${String(flag)}. See the top of tools/chaos/chaos.ts.`);
    }
  }
  if (faults.length > 0) plan = { ...plan, faults: [...plan.faults, ...faults] };
  if (Object.keys(settings).length > 0)
    plan = { ...plan, settings: { ...plan.settings, ...settings } };
  return { plan, ...(out ? { out } : {}) };
}

async function main(): Promise<number> {
  const { plan, out } = planFromArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const outDir = out ?? path.join(REPO_ROOT, ".local", "chaos", `${stamp}-${plan.name}`);
  const run = await runChaos(plan, { outDir, log: (line) => process.stderr.write(`${line}\n`) });
  const { report } = run;
  const f = report.figures;
  process.stdout.write(
    [
      `${report.ok ? "PASS" : "FAIL"} ${plan.name}: ${report.problems.join("; ") || "every order ended as its token says, invariants hold, nothing dead-lettered"}`,
      `orders ${report.orders.placed} placed, ${report.orders.accepted} accepted, ${report.orders.confirmed} Confirmed; ${f.acceptedPerSecond} accepted/s, ${f.confirmedPerSecond} Confirmed/s`,
      `time to Confirmed p50 ${f.timeToConfirmedMs.p50} ms, p99 ${f.timeToConfirmedMs.p99} ms, max ${f.timeToConfirmedMs.max} ms`,
      `outcomes ${JSON.stringify(report.outcomes)}`,
      `stand-ins ${JSON.stringify(report.standIns)}`,
      `report ${run.htmlFile}`,
      "",
    ].join("\n"),
  );
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`npm run chaos: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
