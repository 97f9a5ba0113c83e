import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ServiceBusClient } from "@azure/service-bus";
import { QUEUES } from "../../shared/config/names";
import {
  startServiceBusEmulator,
  type ServiceBusEmulator,
} from "@order-processing/local-runtime/servicebus";
import { toolPath } from "../repoRoot";

// The compiled command as `npm run dlq` runs it (npm test builds dist/ first), with the
// connection taken from the environment the way an operator's shell provides it.

const run = promisify(execFile);
const DLQ = toolPath("ops", "dlq.js");

let emulator: ServiceBusEmulator;
// An empty working directory: no local.settings.json, so only the given environment counts.
const cwd = mkdtempSync(join(tmpdir(), "dlq-"));

beforeAll(async () => {
  emulator = await startServiceBusEmulator({ port: 0 });
  const client = new ServiceBusClient(emulator.connectionString);
  const sender = client.createSender(QUEUES.notifications);
  await sender.sendMessages({ messageId: "n1", body: { id: "n1" }, subject: "SendNotification" });
  const receiver = client.createReceiver(QUEUES.notifications);
  const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
  await receiver.deadLetterMessage(m!, {
    deadLetterReason: "AddressRejected",
    deadLetterErrorDescription: "no such mailbox",
  });
  await client.close();
});

afterAll(async () => {
  await emulator.close();
  rmSync(cwd, { recursive: true, force: true });
});

function dlq(args: string[], env: Record<string, string>) {
  return run(process.execPath, [DLQ, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
}

it("lists, then purges, through the connection setting it is given", async () => {
  const env = { OtherConnection: emulator.connectionString };
  const listed = await dlq(
    ["list", "--entity", QUEUES.notifications, "--connection-setting", "OtherConnection"],
    env,
  );
  expect(listed.stdout).toMatch(
    /id=n1 subject=SendNotification .*reason="AddressRejected" description="no such mailbox"/,
  );
  const purged = await dlq(
    [
      "purge",
      "--entity",
      QUEUES.notifications,
      "--connection-setting",
      "OtherConnection",
      "--message-id",
      "n1",
      "--json",
    ],
    env,
  );
  expect(JSON.parse(purged.stdout)).toEqual([
    expect.objectContaining({ messageId: "n1", deadLetterReason: "AddressRejected" }),
  ]);
});

it("counts through the management API, trusting the emulator's certificate by NODE_EXTRA_CA_CERTS", async () => {
  const client = new ServiceBusClient(emulator.connectionString);
  await client.createSender(QUEUES.payments).sendMessages([{ body: 1 }, { body: 2 }]);
  const receiver = client.createReceiver(QUEUES.payments);
  const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
  await receiver.deadLetterMessage(m!, { deadLetterReason: "r", deadLetterErrorDescription: "d" });
  await client.close();
  const certFile = join(cwd, "servicebus-cert.pem");
  writeFileSync(certFile, await emulator.certificatePem());
  const env = { ServiceBusConnection: emulator.connectionString };
  const counted = await dlq(["counts"], { ...env, NODE_EXTRA_CA_CERTS: certFile });
  expect(counted.stdout).toContain(`${QUEUES.payments} active=1 deadLetter=1 scheduled=0`);
  expect(counted.stdout).toMatch(/order-events\/saga active=\d+ deadLetter=\d+ scheduled=\d+/);
  // Without the certificate trusted, the error says which setting to add.
  await expect(dlq(["counts", "--entity", QUEUES.payments], env)).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("NODE_EXTRA_CA_CERTS=.local/servicebus/cert.pem"),
  });
});

it("exits 2 with the usage on a bad command line", async () => {
  await expect(dlq(["list"], {})).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining("--entity is required"),
  });
});

it("says which settings to set when there is no connection", async () => {
  await expect(dlq(["list", "--entity", QUEUES.notifications], {})).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("ServiceBusConnection__fullyQualifiedNamespace"),
  });
});
