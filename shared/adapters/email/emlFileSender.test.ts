import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createEmlFileSender, emlFileName } from "./emlFileSender";
import { EmailRejectedError } from "../../ports/emailSender";
import { operationIdFor } from "./acsEmailSender";

const email = {
  to: "ada@example.com",
  from: "orders@example.test",
  subject: "Your order order-1 is confirmed",
  text: "Hello Ada,\nThanks.",
  html: "<p>Hello Ada,</p>",
};

describe("createEmlFileSender", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "outbox-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes one RFC 5322 multipart message per idempotency key, however often sent", async () => {
    const sender = createEmlFileSender(dir, () => new Date("2026-01-01T00:00:00Z"));
    await Promise.all(
      [1, 2, 3].map(() => sender.send(email, { idempotencyKey: "order-1:OrderConfirmed" })),
    );
    expect(await readdir(dir)).toEqual([emlFileName("order-1:OrderConfirmed")]);
    const eml = await readFile(path.join(dir, "order-1_OrderConfirmed.eml"), "utf8");
    expect(eml).toContain("To: ada@example.com\r\n");
    expect(eml).toContain("Subject: Your order order-1 is confirmed\r\n");
    expect(eml).toContain("Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n");
    expect(eml).toMatch(/Content-Type: multipart\/alternative; boundary="([^"]+)"/);
    expect(eml).toContain("Content-Type: text/plain; charset=utf-8");
    expect(eml).toContain("Hello Ada,\r\nThanks.");
    expect(eml).toContain("<p>Hello Ada,</p>");
    expect(eml).not.toMatch(/[^\r]\n/);
  });

  it("refuses an address in the reserved .invalid domain", async () => {
    const sender = createEmlFileSender(dir);
    await expect(
      sender.send({ ...email, to: "x@nowhere.invalid" }, { idempotencyKey: "k" }),
    ).rejects.toBeInstanceOf(EmailRejectedError);
  });
});

describe("operationIdFor", () => {
  it("gives the same UUID-shaped id for the same key and a different one otherwise", () => {
    const id = operationIdFor("order-1:OrderConfirmed");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(operationIdFor("order-1:OrderConfirmed")).toBe(id);
    expect(operationIdFor("order-1:OrderShipped")).not.toBe(id);
  });
});
