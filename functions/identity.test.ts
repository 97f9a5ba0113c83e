/**
 * Identity checked in the app (AUTH_MODE=token) over HTTP through the local host, with the
 * identity stand-in as the token issuer: who calls comes from a valid bearer token only, and
 * each kind of bad token is a 401 problem saying why. Then the same host in header mode.
 */
import {
  LOCAL_API_APP_ID_URI,
  throwawaySigningKey,
  type IdentityService,
  type MintOptions,
} from "@order-processing/local-runtime/testing";
import { aCreateOrderRequest } from "../shared/contracts/testing/httpBuilders";
import type { ApiResponse } from "../tests/support/apiClient";
import { expectProblem } from "../tests/support/expectProblem";
import { useTestStack } from "../tests/support/useTestStack";

const file = useTestStack({
  apiOnly: true,
  failOnServerError: true,
  settings: { AUTH_MODE: "token" },
});
const api = file.api;

const identity = (): IdentityService => {
  const service = file.stack.standIns.identity;
  if (service === undefined) throw new Error("The identity stand-in is not running.");
  return service;
};
const token = (options: MintOptions): string => identity().mint(options);
const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });

/** A 401 problem whose detail is `reason`, with the Bearer challenge and no stack trace. */
function expectRefused(result: ApiResponse, reason: RegExp): void {
  expectProblem(result, 401);
  expect(result.json.detail).toMatch(reason);
  expect(result.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect(result.text).not.toMatch(/\bat \S+ \(|node_modules|Error:/);
}

describe("token mode", () => {
  it("answers a customer route without a token with 401, and a public route with 200", async () => {
    expectRefused(await api.call("/orders"), /bearer token is required/);
    expect((await api.call("/products?limit=1")).status).toBe(200);
  });

  it("takes the customer from sub, ignoring X-Customer-Id, and keeps customers apart", async () => {
    const alice = bearer(token({ sub: "token-alice" }));
    const placed = await api.call("/orders", {
      method: "POST",
      customerId: "token-mallory",
      headers: alice,
      body: aCreateOrderRequest(),
    });
    expect(placed.status).toBe(202);
    const orderId = (placed.json as { orderId: string }).orderId;
    expect((await api.call(`/orders/${orderId}`, { headers: alice })).status).toBe(200);
    const bob = bearer(token({ sub: "token-bob" }));
    expectProblem(await api.call(`/orders/${orderId}`, { headers: bob }), 404);
    // The identity headers alone are no identity in token mode.
    expectRefused(
      await api.call(`/orders/${orderId}`, { customerId: "token-alice", roles: "admin" }),
      /bearer token is required/,
    );
    const mallory = bearer(token({ sub: "token-mallory" }));
    expect((await api.call("/orders", { headers: mallory })).json.items).toEqual([]);
  });

  it("grants admin from the roles claim only", async () => {
    const put = (headers: Record<string, string>, roles?: string) =>
      api.call("/inventory/SKU-0011", {
        method: "PUT",
        headers,
        body: { stock: 7 },
        ...(roles === undefined ? {} : { roles }),
      });
    expectProblem(await put(bearer(token({ sub: "token-carol" })), "admin"), 403);
    const admin = await put(bearer(token({ sub: "token-operator", roles: ["admin"] })));
    expect(admin.status).toBe(200);
  });

  it("accepts both audiences: the client id (v2.0) and the Application ID URI", async () => {
    const byUri = token({ sub: "token-dave", aud: LOCAL_API_APP_ID_URI });
    expect((await api.call("/orders", { headers: bearer(byUri) })).status).toBe(200);
    expect(
      (await api.call("/orders", { headers: bearer(token({ sub: "token-dave" })) })).status,
    ).toBe(200);
  });

  it("allows a small clock skew at expiry", async () => {
    const justExpired = token({ sub: "token-erin", expiresInSeconds: -20 });
    expect((await api.call("/orders", { headers: bearer(justExpired) })).status).toBe(200);
  });

  const other = throwawaySigningKey();
  const cases: Array<[string, () => string, RegExp]> = [
    ["expired", () => token({ sub: "x", expiresInSeconds: -600 }), /expired/],
    ["for another audience", () => token({ sub: "x", aud: "api://someone-else" }), /audience/],
    [
      "from another issuer",
      () => token({ sub: "x", iss: "https://login.microsoftonline.com/other/v2.0" }),
      /issuer/,
    ],
    [
      "with a forged signature (another key under the issuer's kid)",
      () => token({ sub: "x", signing: { key: { ...other, kid: identity().key.kid } } }),
      /signature is not valid/,
    ],
    [
      "signed by a key the issuer does not publish",
      () => token({ sub: "x", signing: { key: other } }),
      /not signed with a key of the issuer/,
    ],
    ["unsigned (alg: none)", () => token({ sub: "x", signing: { alg: "none" } }), /algorithm/],
    ["not a JWT", () => "not.a.jwt", /malformed/],
    ["without a subject", () => token({ sub: "x", extra: { sub: undefined } }), /sub/],
  ];
  it.each(cases)("refuses a token %s with 401 and the reason", async (_name, make, reason) => {
    const headers = bearer(make());
    expectRefused(await api.call("/orders", { headers }), reason);
    // A public route refuses a bad token as well, as API Management does.
    expectRefused(await api.call("/products?limit=1", { headers }), reason);
  });

  it("refuses an Authorization header that is not Bearer", async () => {
    expectRefused(
      await api.call("/orders", { headers: { Authorization: "Basic dXNlcjpwYXNz" } }),
      /must be Bearer/,
    );
  });

  it("connects live status only for the token's subject", async () => {
    const negotiate = (customerId: string) =>
      api.call("/negotiate?negotiateVersion=1", {
        method: "POST",
        customerId,
        headers: bearer(token({ sub: "token-grace" })),
      });
    expect((await negotiate("token-grace")).status).toBe(200);
    expectProblem(await negotiate("token-mallory"), 403);
  });

  it("fetches the signing keys once and reuses them", async () => {
    const headers = bearer(token({ sub: "token-frank" }));
    expect((await api.call("/orders", { headers })).status).toBe(200);
    const fetched = identity().jwksRequests();
    for (let i = 0; i < 5; i++) expect((await api.call("/orders", { headers })).status).toBe(200);
    expect(identity().jwksRequests()).toBe(fetched);
  });
});

describe("header mode", () => {
  beforeAll(async () => {
    await file.stack.restartHost({ AUTH_MODE: "header" });
  }, 120_000);

  it("takes the customer and roles from X-Customer-Id and X-Roles, not from a token", async () => {
    const placed = await api.call("/orders", {
      method: "POST",
      customerId: "header-alice",
      body: aCreateOrderRequest(),
    });
    expect(placed.status).toBe(202);
    const orderId = (placed.json as { orderId: string }).orderId;
    expect((await api.call(`/orders/${orderId}`, { customerId: "header-alice" })).status).toBe(200);
    const asAlice = bearer(token({ sub: "header-alice", roles: ["admin"] }));
    expectProblem(await api.call(`/orders/${orderId}`, { headers: asAlice }), 401);
    expectProblem(
      await api.call("/inventory/SKU-0012", {
        method: "PUT",
        headers: asAlice,
        body: { stock: 3 },
      }),
      403,
    );
  });
});
