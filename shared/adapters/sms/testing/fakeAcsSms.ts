import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The SMS send route of Azure Communication Services (`POST /sms?api-version=2021-03-07`,
 * learn.microsoft.com/rest/api/communication/sms/send), as far as the SMS sender uses it, on
 * a free port: per-recipient results, the repeatability fields (a repeated request id with
 * the same first-sent time is answered from memory and texts nobody again), numbers to
 * refuse with a per-recipient 400, and whole-request failures. ACS has no local emulator for
 * SMS; this lets the real `@azure/communication-sms` client be driven end to end.
 */
export interface FakeAcsSms {
  /** For `SmsClient`: HMAC with a throwaway key, against this server. */
  readonly connectionString: string;
  /** Every request as received. */
  readonly requests: { headers: IncomingHttpHeaders; url: string; body: SmsRequestBody }[];
  /** The SMS the service would have handed to a carrier, one per accepted new request. */
  readonly delivered: { to: string; from: string; message: string; messageId: string }[];
  /** Numbers answered with a per-recipient 400. */
  readonly refuse: Set<string>;
  /** Answer the next N requests with this status and an error body (e.g. 503). */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

export interface SmsRequestBody {
  from: string;
  message: string;
  smsRecipients: { to: string; repeatabilityRequestId?: string; repeatabilityFirstSent?: string }[];
}

export async function startFakeAcsSms(): Promise<FakeAcsSms> {
  const requests: FakeAcsSms["requests"] = [];
  const delivered: FakeAcsSms["delivered"] = [];
  const refuse = new Set<string>();
  const repeats = new Map<string, { firstSent?: string; result: object }>();
  let failing: { status: number; count: number } | undefined;
  let sequence = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || !req.url?.startsWith("/sms?")) {
        return answer(404, { error: { code: "NotFound", message: "no such route" } });
      }
      if (!/^HMAC-SHA256 /.test(req.headers.authorization ?? "")) {
        return answer(401, { error: { code: "Unauthorized", message: "no HMAC signature" } });
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as SmsRequestBody;
      requests.push({ headers: req.headers, url: req.url, body });
      if (failing !== undefined && failing.count > 0) {
        failing.count--;
        const { status } = failing;
        return answer(status, {
          error: { code: String(status), message: `failed with ${status}` },
        });
      }
      const value = body.smsRecipients.map((recipient) => {
        const id = recipient.repeatabilityRequestId;
        const seen = id === undefined ? undefined : repeats.get(id);
        if (seen !== undefined && seen.firstSent === recipient.repeatabilityFirstSent) {
          return { ...seen.result, repeatabilityResult: "accepted" };
        }
        const result = refuse.has(recipient.to)
          ? {
              to: recipient.to,
              httpStatusCode: 400,
              successful: false,
              errorMessage: "Invalid To phone number format.",
            }
          : {
              to: recipient.to,
              messageId: `Outgoing_fake_${++sequence}`,
              httpStatusCode: 202,
              successful: true,
            };
        if (result.successful) {
          delivered.push({
            to: recipient.to,
            from: body.from,
            message: body.message,
            messageId: result.messageId as string,
          });
        }
        if (id !== undefined)
          repeats.set(id, { firstSent: recipient.repeatabilityFirstSent, result });
        return { ...result, repeatabilityResult: "accepted" };
      });
      answer(202, { value });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: `endpoint=http://127.0.0.1:${port}/;accesskey=${Buffer.from("fake-acs-key").toString("base64")}`,
    requests,
    delivered,
    refuse,
    failNext(status, count = 1) {
      failing = { status, count };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
