/**
 * `npm run profile`: a CPU profile of every process of the local stack under a steady load of
 * orders, and for each process its busy time and the functions and packages that took it.
 * Each process runs with `node --cpu-prof` and writes its profile when
 * it exits; the stack is stopped gracefully after the load, so every process writes one.
 *
 * Options (env or flags): PROFILE_RATE / --rate (orders/s, default 5), PROFILE_DURATION_SECONDS
 * / --duration (default 20), PROFILE_INSTANCES / --instances (host processes, default 1),
 * PROFILE_TOP / --top (rows per table, default 15), PROFILE_DIR / --dir (where the
 * .cpuprofile files are kept; a temporary folder, removed afterwards, by default).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { summarizeProfileFile, type Share } from "./cpuProfile";
import {
  placeOrdersSteadily,
  seedStock,
  startLoadStack,
  waitForEmails,
  waitUntilSettled,
} from "./sagaLoad";

function option(flag: string, envName: string, fallback: string): string {
  const at = process.argv.indexOf(flag);
  return (at >= 0 ? process.argv[at + 1] : process.env[envName]) ?? fallback;
}

function table(title: string, rows: readonly Share[]): string {
  const lines = rows.map(
    (r) => `  ${String(r.percent).padStart(5)}%  ${String(r.ms).padStart(7)} ms  ${r.name}`,
  );
  return `${title}\n${lines.join("\n")}`;
}

async function main(): Promise<void> {
  const rate = Number(option("--rate", "PROFILE_RATE", "5"));
  const seconds = Number(option("--duration", "PROFILE_DURATION_SECONDS", "20"));
  const instances = Number(option("--instances", "PROFILE_INSTANCES", "1"));
  const top = Number(option("--top", "PROFILE_TOP", "15"));
  const keep = option("--dir", "PROFILE_DIR", "");
  const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(tmpdir(), "stack-profile-"));
  mkdirSync(dir, { recursive: true });
  const stack = await startLoadStack({
    instances,
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  const names = new Map(
    Object.entries(stack.pids()).flatMap(([name, pid]) => (pid ? [[pid, name] as const] : [])),
  );
  let orders: number;
  const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);
  // Only the load counts: start-up (module loading, connections) is left out.
  const window = { fromUs: 0, toUs: 0 };
  try {
    await seedStock(stack.cluster.baseUrl);
    window.fromUs = nowUs();
    const placed = await placeOrdersSteadily(stack.cluster.baseUrl, rate, seconds);
    orders = placed.length;
    // Emails first: the settle check's instance listing, polled during the load, would be
    // profiled as the orders' cost.
    await waitForEmails(stack.outbox, placed.length, 600_000);
    await waitUntilSettled(stack.cluster.baseUrl, placed, 600_000, stack.systemKey);
    window.toUs = nowUs();
  } finally {
    await stack.stop();
  }
  const out: string[] = [
    `Profile of the local stack: ${orders} orders at ${rate}/s for ${seconds} s, ${instances} host instance(s).`,
  ];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort()) {
    // Node names each file CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
    const pid = Number(file.split(".")[3]);
    const name = names.get(pid) ?? `pid ${pid}`;
    const summary = summarizeProfileFile(path.join(dir, file), top, window);
    out.push(
      "",
      `== ${name} (pid ${pid}): busy ${summary.busyMs} ms of the load's ${summary.durationMs} ms` +
        (orders > 0 ? `, ${(summary.busyMs / orders).toFixed(1)} ms per order` : ""),
      table("packages (self time):", summary.packages),
      table("functions (self time):", summary.functions),
    );
  }
  console.log(out.join("\n"));
  console.log(keep ? `\nProfiles kept in ${dir} (open them in Chrome DevTools).` : "");
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
