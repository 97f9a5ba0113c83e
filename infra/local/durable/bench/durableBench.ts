/**
 * `npm run bench:durable`: throughput, latency and storage operations of the Durable engine,
 * for a chain of 3 activities and a fan-out/fan-in of 100, with the fixture app in the local
 * host (in this process, so the engine's counters are readable) against Azurite.
 * Latency runs from the start request to the instance's terminal commit.
 */
import { startHost } from "../../host/startHost";
import { LogWriter } from "../../host/logger";
import { DurablePlugin } from "../durablePlugin";
import type { InstanceRecord } from "../taskHubStore";
import { FIXTURE_DIR, FIXTURE_ENTRY } from "../testing/fixtureHost";
import { startAzuriteTables } from "../testing/startAzurite";
import { percentile } from "../../testing/percentile";

async function main(): Promise<void> {
  const chainCount = Number(process.env.BENCH_CHAIN_INSTANCES ?? 200);
  const fanCount = Number(process.env.BENCH_FANOUT_INSTANCES ?? 10);
  const azurite = await startAzuriteTables();
  const plugin = new DurablePlugin();
  const host = await startHost({
    appDirectory: FIXTURE_DIR,
    entry: FIXTURE_ENTRY,
    port: 0,
    env: { ...process.env, AzureWebJobsStorage: azurite.connectionString, DURABLE_FIXTURE_DIR: "" },
    skipLocalSettings: true,
    plugins: [plugin],
    log: new LogWriter({ minLevel: "warning" }),
  });
  const engine = plugin.engine;
  if (!engine) throw new Error("The Durable engine did not start.");
  const base = `${host.baseUrl}/runtime/webhooks/durabletask`;

  /** One instance at a time: latency without queueing. */
  async function sequential(
    label: string,
    name: string,
    input: unknown,
    count: number,
  ): Promise<void> {
    const latencies: number[] = [];
    const ops0 = engine!.store.operations;
    const first = performance.now();
    for (let i = 0; i < count; i++) {
      const id = `${label}-${i}`;
      const finished = new Promise<void>((resolve) => {
        const onFinished = (record: InstanceRecord): void => {
          if (record.instanceId !== id) return;
          engine!.events.off("finished", onFinished);
          resolve();
        };
        engine!.events.on("finished", onFinished);
      });
      const t0 = performance.now();
      const res = await fetch(`${base}/orchestrators/${name}/${id}`, {
        method: "POST",
        headers: { "x-functions-key": host.systemKey },
        body: JSON.stringify(input),
      });
      await res.text();
      await finished;
      latencies.push(performance.now() - t0);
    }
    const seconds = (performance.now() - first) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(16)} instances=${count}  ${(count / seconds).toFixed(1)} orchestrations/s  ` +
        `p50=${percentile(latencies, 50).toFixed(0)}ms  p99=${percentile(latencies, 99).toFixed(0)}ms  ` +
        `storage ops/orchestration=${((engine!.store.operations - ops0) / count).toFixed(1)}  (one at a time)`,
    );
  }

  async function scenario(
    label: string,
    name: string,
    input: unknown,
    count: number,
  ): Promise<void> {
    const startedAt = new Map<string, number>();
    const latencies: number[] = [];
    const ops0 = engine!.store.operations;
    let last = 0;
    const done = new Promise<void>((resolve, reject) => {
      const onFinished = (record: InstanceRecord): void => {
        const t0 = startedAt.get(record.instanceId);
        if (t0 === undefined) return;
        if (record.runtimeStatus !== "Completed")
          reject(new Error(`${record.instanceId} ${record.runtimeStatus}: ${record.output}`));
        last = performance.now();
        latencies.push(last - t0);
        if (latencies.length === count) {
          engine!.events.off("finished", onFinished);
          resolve();
        }
      };
      engine!.events.on("finished", onFinished);
    });
    const first = performance.now();
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const id = `${label}-${i}`;
        startedAt.set(id, performance.now());
        const res = await fetch(`${base}/orchestrators/${name}/${id}`, {
          method: "POST",
          headers: { "x-functions-key": host.systemKey },
          body: JSON.stringify(input),
        });
        if (res.status !== 202) throw new Error(`start ${id}: ${res.status}`);
        await res.text();
      }),
    );
    await done;
    const seconds = (last - first) / 1000;
    latencies.sort((a, b) => a - b);
    const ops = engine!.store.operations - ops0;
    console.log(
      `${label.padEnd(16)} instances=${count}  ${(count / seconds).toFixed(1)} orchestrations/s  ` +
        `p50=${percentile(latencies, 50).toFixed(0)}ms  p99=${percentile(latencies, 99).toFixed(0)}ms  ` +
        `storage ops/orchestration=${(ops / count).toFixed(1)}`,
    );
  }

  try {
    await scenario("warmup", "Chain", ["a", "b", "c"], 10);
    await sequential("chain-3-seq", "Chain", ["a", "b", "c"], 20);
    await sequential("fan-out-100-seq", "FanOut", 100, 5);
    await scenario("chain-3", "Chain", ["a", "b", "c"], chainCount);
    await scenario("fan-out-100", "FanOut", 100, fanCount);
  } finally {
    await host.stop();
    await azurite.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
