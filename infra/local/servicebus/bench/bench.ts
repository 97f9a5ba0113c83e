import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ServiceBusClient, type ServiceBusMessage } from "@azure/service-bus";
import { testTopology } from "../testing/topology";
import { percentile } from "../../testing/percentile";

/**
 * `npm run bench:servicebus`: the emulator in a process of its own (as `npm start` runs it),
 * driven by the real @azure/service-bus client with 1 KB messages:
 *   1. send -> receive -> complete throughput and latency, with 1 and with 8 receivers;
 *   2. resident memory of the emulator with 100,000 messages queued.
 */
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const QUEUED = Number(process.env.BENCH_QUEUED ?? 100_000);
const BODY = "x".repeat(1024);
/** Concurrent handlers in total, split over the receivers. */
const HANDLERS = 32;
const SEND_STREAMS = 8;
const SEND_BATCH = 50;
/** Rate of the paced runs: half of the 2,000 msg/s target, so queueing does not dominate. */
const PACED_RATE = Number(process.env.BENCH_RATE ?? 1000);

async function startEmulator(): Promise<{ child: ChildProcess; connectionString: string }> {
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-"));
  const config = join(dir, "config.json");
  writeFileSync(
    config,
    JSON.stringify(
      testTopology({
        queues: {
          ...Object.fromEntries(
            [1, 8].map((r) => [`bench-${r}`, { LockDuration: "PT1M", MaxDeliveryCount: 10 }]),
          ),
          backlog: { LockDuration: "PT1M" },
        },
      }),
    ),
  );
  const cli = resolve(__dirname, "../cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", "--config", config], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const connectionString = await new Promise<string>((ok, fail) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(Endpoint=sb:\/\/\S+)/.exec(out);
      if (m) ok(m[1] as string);
    });
    child.once("exit", (code) => fail(new Error(`emulator exited with ${code}`)));
  });
  return { child, connectionString };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** User + system CPU seconds a process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Sends MESSAGES messages and completes them with `receivers` receivers. Without `rate` the
 * senders go flat out (throughput; latency then includes the backlog the senders build up);
 * with `rate` (msg/s) they are paced, so latency is that of a broker that keeps up.
 */
async function endToEnd(
  connectionString: string,
  receivers: number,
  pid: number,
  rate?: number,
): Promise<string> {
  const queue = `bench-${receivers}`;
  const sendClient = new ServiceBusClient(connectionString);
  const receiveClients = Array.from(
    { length: receivers },
    () => new ServiceBusClient(connectionString),
  );
  const latencies: number[] = [];
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  const perReceiver = Math.max(1, Math.floor(HANDLERS / receivers));
  const subs = receiveClients.map((c) => {
    const receiver = c.createReceiver(queue);
    const sub = receiver.subscribe(
      {
        processMessage: async (m) => {
          await receiver.completeMessage(m);
          latencies.push(Date.now() - (m.applicationProperties?.sentAt as number));
          if (++done === MESSAGES) finish();
        },
        processError: async (args) => {
          console.error(`receiver error: ${args.error.message}`);
          return Promise.resolve();
        },
      },
      { maxConcurrentCalls: perReceiver, autoCompleteMessages: false },
    );
    return { receiver, sub };
  });
  const started = Date.now();
  const cpuBefore = cpuSeconds(pid);
  const clientCpuBefore = process.cpuUsage();
  const sender = sendClient.createSender(queue);
  let next = 0;
  const batchSize = rate === undefined ? SEND_BATCH : Math.max(1, Math.round(rate / 100));
  await Promise.all(
    Array.from({ length: SEND_STREAMS }, async () => {
      while (next < MESSAGES) {
        if (rate !== undefined) {
          // Pace: message number `next` is due at started + next / rate seconds.
          const due = started + (next / rate) * 1000;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
          if (next >= MESSAGES) break;
        }
        const count = Math.min(batchSize, MESSAGES - next);
        next += count;
        const now = Date.now();
        const batch: ServiceBusMessage[] = Array.from({ length: count }, () => ({
          body: BODY,
          applicationProperties: { sentAt: now },
        }));
        await sender.sendMessages(batch);
      }
    }),
  );
  await finished;
  const seconds = (Date.now() - started) / 1000;
  const emulatorCpu = cpuSeconds(pid) - cpuBefore;
  const clientUsage = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  for (const { receiver, sub } of subs) {
    await sub.close();
    await receiver.close();
  }
  await Promise.all([sendClient, ...receiveClients].map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  return (
    `receivers=${receivers} (handlers ${perReceiver * receivers}) messages=${MESSAGES} ` +
    `${rate === undefined ? "flat out" : `paced at ${rate} msg/s`}: ` +
    `${Math.round(MESSAGES / seconds)} msg/s end to end, ` +
    `latency p50=${percentile(latencies, 50)} ms p99=${percentile(latencies, 99)} ms; ` +
    `CPU emulator ${Math.round((100 * emulatorCpu) / seconds)}% client ${Math.round((100 * clientCpu) / seconds)}%`
  );
}

async function backlog(connectionString: string, pid: number): Promise<string> {
  const client = new ServiceBusClient(connectionString);
  const sender = client.createSender("backlog");
  const idle = rssMb(pid);
  const started = Date.now();
  let sent = 0;
  while (sent < QUEUED) {
    const batch = await sender.createMessageBatch();
    while (sent < QUEUED && batch.tryAddMessage({ body: BODY })) sent++;
    await sender.sendMessages(batch);
  }
  const seconds = (Date.now() - started) / 1000;
  const receiver = client.createReceiver("backlog");
  const peeked = await receiver.peekMessages(1);
  const full = rssMb(pid);
  await receiver.close();
  await client.close();
  return (
    `backlog: ${QUEUED} x 1 KB queued in ${seconds.toFixed(1)} s (${Math.round(QUEUED / seconds)} msg/s in batches); ` +
    `emulator RSS before ${idle} MB (after the runs above), with the backlog ${full} MB (${peeked.length === 1 ? "peek ok" : "peek failed"})`
  );
}

async function main(): Promise<void> {
  const { child, connectionString } = await startEmulator();
  try {
    console.log(`emulator RSS at start-up: ${rssMb(child.pid as number)} MB`);
    console.log(
      `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "?"}, node ${process.version}`,
    );
    const pid = child.pid as number;
    for (const receivers of [1, 8]) console.log(await endToEnd(connectionString, receivers, pid));
    for (const receivers of [1, 8])
      console.log(await endToEnd(connectionString, receivers, pid, PACED_RATE));
    console.log(await backlog(connectionString, child.pid as number));
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
