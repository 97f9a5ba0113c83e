import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceBusAdministrationClient, ServiceBusClient } from "@azure/service-bus";
import { runtimeDist } from "../testing/runtimePaths";
import { testTopology } from "./testing/topology";

/** Runs the compiled CLI (`npm test` builds first), as `npm run servicebus` does. */
const CLI = runtimeDist("servicebus", "cli.js");
const QUEUES = ["orders", "replies"];

let scratch: string;
let topologyFile: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "sb-cli-"));
  topologyFile = join(scratch, "config.json");
  const topology = testTopology({
    queues: Object.fromEntries(QUEUES.map((q) => [q, {}])),
    topics: { events: { subscriptions: { audit: {} } } },
  });
  writeFileSync(topologyFile, JSON.stringify(topology));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("npm run servicebus (cli)", () => {
  it("serves the topology file on the given port, one line per entity, until SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [CLI, "--port", "0", "--config", topologyFile, "--cert-dir", join(scratch, "cert")],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      const connectionString = await new Promise<string>((ok, fail) => {
        child.stdout.on("data", () => {
          const m = /(Endpoint=sb:\/\/\S+)/.exec(out);
          if (m) ok(m[1] as string);
        });
        void exited.then((code) => fail(new Error(`cli exited with ${code}: ${out}`)));
      });
      for (const q of QUEUES) expect(out).toContain(`servicebus: ${q} queue`);
      expect(out).toContain("servicebus: events/Subscriptions/audit subscription");
      const client = new ServiceBusClient(connectionString);
      await client.createSender("orders").sendMessages({ body: "hello", messageId: "cli-1" });
      const receiver = client.createReceiver("orders", { receiveMode: "receiveAndDelete" });
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      expect(m?.body).toBe("hello");
      await client.close();
      // The administration API on the same port, trusting the certificate file it names.
      const certFile = /NODE_EXTRA_CA_CERTS=(\S+)\)/.exec(out)?.[1];
      expect(certFile).toBe(join(scratch, "cert", "cert.pem"));
      const admin = new ServiceBusAdministrationClient(connectionString, {
        tlsOptions: { ca: readFileSync(certFile!) },
      });
      const names: string[] = [];
      for await (const q of admin.listQueues()) names.push(q.name);
      expect(names).toEqual(QUEUES);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("exits non-zero naming the entry when the topology is malformed", async () => {
    const child = spawn(process.execPath, [CLI, "--port", "0", "--config", __filename], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code).toBe(1);
    expect(err).toContain("cannot read topology");
  });
});
