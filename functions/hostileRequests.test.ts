/**
 * Requests built to slip past the API, through the local host as a client sends them:
 * bytes that are not UTF-8 or declared in another charset, text with controls, bidi
 * formatting or unpaired surrogates, JSON names given twice, and single-value headers sent
 * twice (docs/http-api.md "JSON bodies", "Text", "Repeated headers"). Each is refused with a
 * problem naming what was wrong, and none leaves an order behind.
 */
import http from "node:http";
import { HEADERS } from "../shared/contracts/http/common";
import { CreateOrderRequestSchema } from "../shared/contracts/http/orders";
import { aCreateOrderRequest } from "../shared/contracts/testing/httpBuilders";
import { expectProblem } from "../tests/support/expectProblem";
import { useTestStack } from "../tests/support/useTestStack";
import type { ApiResponse } from "../tests/support/apiClient";

const file = useTestStack({ apiOnly: true, failOnServerError: true });
const { api } = file;

const CUSTOMER = "hostile";
const validBody = (): string => JSON.stringify(aCreateOrderRequest());

/**
 * POST /api/orders over node:http, which sends each `[name, value]` as its own header line
 * (fetch would join repeated names into one line first) and the body's bytes unchanged.
 */
function post(headers: readonly [string, string][], body: Buffer | string): Promise<ApiResponse> {
  const url = new URL("/api/orders", file.stack.baseUrl);
  const names = new Set(headers.map(([name]) => name.toLowerCase()));
  const lines: [string, string][] = [
    ...(names.has("content-type")
      ? []
      : [["Content-Type", "application/json"] as [string, string]]),
    ...(names.has("x-customer-id") ? [] : [[HEADERS.customerId, CUSTOMER] as [string, string]]),
    ...headers,
  ];
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST" }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const contentType = response.headers["content-type"] ?? "";
        const status = response.statusCode ?? 0;
        if (status >= 500) reject(new Error(`POST /api/orders answered ${status}: ${text}`));
        resolve({
          status,
          headers: new Headers(),
          contentType,
          text,
          json: contentType.includes("json") && text.length > 0 ? JSON.parse(text) : undefined,
        });
      });
    });
    request.on("error", reject);
    // Several values for one name are sent as several lines (Node's outgoing headers).
    const grouped = new Map<string, string[]>();
    for (const [name, value] of lines) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    for (const [name, values] of grouped)
      request.setHeader(name, values.length === 1 ? values[0]! : values);
    request.end(body);
  });
}

afterEach(async () => {
  // Not one of the refused requests left an order.
  const list = await api.call("/orders", { customerId: CUSTOMER });
  expect(list.json.items).toEqual([]);
});

describe("text encoding", () => {
  it.each([
    ["a truncated sequence", [0xc3, 0x28]],
    ["an overlong slash", [0xc0, 0xaf]],
    ["a lone continuation byte", [0x80]],
    ["an encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
    ["a Latin-1 é", [0xe9]],
  ])("bytes that are not UTF-8 (%s) are 400", async (_what, bytes) => {
    const [before, after] = validBody().split("Ada Lovelace");
    const body = Buffer.concat([
      Buffer.from(`${before}Ada `),
      Buffer.from(bytes),
      Buffer.from(` Lovelace${after}`),
    ]);
    const result = await post([], body);
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([{ path: "", message: "is not valid UTF-8" }]);
  });

  it.each([
    ["latin1", Buffer.from(validBody().replace("Ada", "Zoë"), "latin1")],
    ["ISO-8859-1", Buffer.from(validBody(), "latin1")],
    ["utf-16", Buffer.from(`\ufeff${validBody()}`, "utf16le")],
    ["utf-16le", Buffer.from(validBody(), "utf16le")],
  ])("charset=%s is 415", async (charset, body) => {
    const result = await post([["Content-Type", `application/json; charset=${charset}`]], body);
    expectProblem(result, 415);
    expect(result.json.detail).toMatch(/UTF-8/);
  });

  it("charset=utf-8 (any case, quoted or not) and a UTF-8 body with accents are accepted", async () => {
    const body = JSON.stringify(
      aCreateOrderRequest({
        shippingAddress: {
          name: "Zoë Ångström",
          line1: "東京都千代田区 1-1",
          city: "תל אביב",
          postalCode: "100-0001",
          country: "JP",
        },
      }),
    );
    for (const contentType of [
      "application/json; charset=utf-8",
      'application/json;charset="UTF-8"',
    ]) {
      const result = await post(
        [
          ["Content-Type", contentType],
          [HEADERS.customerId, "hostile-accepted"],
        ],
        body,
      );
      expect(result.status).toBe(202);
      const order = await api.readOrder({
        orderId: result.json.orderId,
        customerId: "hostile-accepted",
      });
      expect(order.json.shippingAddress.name).toBe("Zoë Ångström");
      expect(order.json.shippingAddress.city).toBe("תל אביב");
    }
  });

  it.each([
    ["NUL", "name", "Ada\u0000Lovelace", "control characters or line breaks (found U+0000)"],
    [
      "CR/LF",
      "line1",
      "12 St James's Sq\r\nX-Injected: 1",
      "control characters or line breaks (found U+000D)",
    ],
    ["LF", "city", "Lon\ndon", "control characters or line breaks (found U+000A)"],
    ["ESC", "line2", "Flat \u001b[31m3", "control characters or line breaks (found U+001B)"],
    [
      "a C1 control",
      "region",
      "Greater\u0085London",
      "control characters or line breaks (found U+0085)",
    ],
    [
      "LINE SEPARATOR",
      "postalCode",
      "SW1Y\u20284JH",
      "control characters or line breaks (found U+2028)",
    ],
    [
      "RIGHT-TO-LEFT OVERRIDE",
      "name",
      "Ada \u202eecalevoL",
      "bidirectional formatting characters (found U+202E)",
    ],
    [
      "FIRST STRONG ISOLATE",
      "line1",
      "12 \u2068St\u2069 James's Sq",
      "bidirectional formatting characters (found U+2068)",
    ],
    [
      "RIGHT-TO-LEFT MARK",
      "city",
      "London\u200f",
      "bidirectional formatting characters (found U+200F)",
    ],
    ["a lone high surrogate", "postalCode", "SW1Y \ud800", "unpaired surrogates (found U+D800)"],
    ["a lone low surrogate", "name", "\udc00Ada", "unpaired surrogates (found U+DC00)"],
  ])("%s in shippingAddress.%s is 400 naming the field", async (_what, field, value, message) => {
    const request = aCreateOrderRequest();
    // JSON.stringify writes a lone surrogate as a \u escape, so the bytes stay UTF-8.
    const body = JSON.stringify({
      ...request,
      shippingAddress: { ...request.shippingAddress, [field]: value },
    });
    const result = await post([], body);
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([
      { path: `shippingAddress.${field}`, message: `must not contain ${message}` },
    ]);
  });

  it("a control character in the payment token is 400 naming payment.token", async () => {
    const body = JSON.stringify(
      aCreateOrderRequest({ payment: { method: "card", token: "tok_visa\u0000" } }),
    );
    const result = await post([], body);
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([
      {
        path: "payment.token",
        message: "must not contain control characters or line breaks (found U+0000)",
      },
    ]);
  });
});

describe("duplicate JSON names", () => {
  it.each([
    ["payment.token", '"token":"tok_visa"', '"token":"tok_decline","token":"tok_visa"'],
    ["payment.token", '"token":"tok_visa"', '"token":"tok_decline","\\u0074oken":"tok_visa"'],
    ["email", '"email":"ada@example.com"', '"email":"ada@example.com","email":"eve@example.com"'],
    ["items[0].quantity", '"quantity":2', '"quantity":1,"quantity":2'],
    ["shippingAddress.country", '"country":"GB"', '"country":"GB","country":"US"'],
  ])("a repeated %s is 400 naming it", async (path, member, repeated) => {
    const valid = validBody();
    expect(valid).toContain(member);
    const body = valid.replace(member, repeated);
    // Read the usual way (the last name wins), the body is a valid order: the duplicate is
    // all that is refused.
    expect(CreateOrderRequestSchema.safeParse(JSON.parse(body)).success).toBe(true);
    const result = await post([], body);
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([{ path, message: "appears more than once in its object" }]);
  });
});

describe("repeated single-value headers", () => {
  it.each([
    [
      HEADERS.customerId,
      [
        [HEADERS.customerId, CUSTOMER],
        [HEADERS.customerId, "someone-else"],
      ],
    ],
    [
      HEADERS.idempotencyKey,
      [
        [HEADERS.idempotencyKey, "key-a"],
        [HEADERS.idempotencyKey, "key-b"],
      ],
    ],
    [
      "Content-Type",
      [
        ["Content-Type", "application/json"],
        ["Content-Type", "application/json"],
      ],
    ],
  ] as [string, [string, string][]][])("%s sent twice is 400 naming it", async (name, headers) => {
    const result = await post(headers, validBody());
    expectProblem(result, 400);
    expect(result.json.errors).toEqual([
      { path: name, message: "must be sent once (it arrived repeated, joined by commas)" },
    ]);
  });

  it("a comma in X-Customer-Id is refused the same way: it is what a repetition looks like", async () => {
    const result = await post([[HEADERS.customerId, `${CUSTOMER},someone-else`]], validBody());
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe(HEADERS.customerId);
  });

  it("a repeated X-Customer-Id is 400 on reads too", async () => {
    const result = await api.call("/orders", { headers: { [HEADERS.customerId]: "a, b" } });
    expectProblem(result, 400);
    expect(result.json.errors[0].path).toBe(HEADERS.customerId);
  });

  it("a quoted comma in a Content-Type parameter is not a repetition", async () => {
    const result = await post(
      [
        ["Content-Type", 'application/json; profile="a,b"'],
        [HEADERS.customerId, "hostile-accepted"],
      ],
      validBody(),
    );
    expect(result.status).toBe(202);
  });
});
