import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { ServiceBusClient } from "@azure/service-bus";
import { QUEUES } from "../../../shared/config/names";

/** Runs the compiled CLI (`npm test` builds first), as `npm run servicebus` does. */
const CLI = resolve(__dirname, "../../../dist/infra/local/servicebus/cli.js");

describe("npm run servicebus (cli)", () => {
  it("serves the project topology on the given port, one line per entity, until SIGTERM", async () => {
    const child = spawn(process.execPath, [CLI, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
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
      for (const q of Object.values(QUEUES)) expect(out).toContain(`servicebus: ${q} queue`);
      expect(out).toContain("servicebus: order-events/Subscriptions/saga subscription");
      const client = new ServiceBusClient(connectionString);
      await client
        .createSender(QUEUES.inventory)
        .sendMessages({ body: "hello", messageId: "cli-1" });
      const receiver = client.createReceiver(QUEUES.inventory, { receiveMode: "receiveAndDelete" });
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      expect(m?.body).toBe("hello");
      await client.close();
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
