/**
 * `npm run token`: the compiled CLI mints a token that the running identity stand-in's
 * published key verifies, for the stand-in's issuer and the local API's client id.
 */
import { spawnSync } from "node:child_process";
import { createPublicKey, verify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runtimeDist } from "../testing/runtimePaths";
import { LOCAL_API_CLIENT_ID, startIdentityService, type IdentityService } from "./identityService";

const CLI = runtimeDist("identity", "tokenCli.js");
let dir: string;
let service: IdentityService;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "token-cli-"));
  service = await startIdentityService({
    port: 0,
    keyDirectory: path.join(dir, ".local", "identity"),
  });
});

afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, IDENTITY_PORT: String(service.port) },
    encoding: "utf8",
  });
}

const decode = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

it("mints a token the stand-in's published key verifies, with the claims asked for", async () => {
  const result = run(["--sub", "alice", "--roles", "admin, auditor"]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const [header, payload, signature] = result.stdout.trim().split(".") as [string, string, string];
  const config = (await (await fetch(service.openIdConfigUrl)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  const { keys } = (await (await fetch(config.jwks_uri)).json()) as {
    keys: Array<Record<string, string>>;
  };
  const jwk = keys.find((k) => k.kid === decode(header).kid);
  expect(jwk).toBeDefined();
  const key = createPublicKey({ key: jwk as never, format: "jwk" });
  const signed = Buffer.from(`${header}.${payload}`);
  expect(verify("sha256", signed, key, Buffer.from(signature, "base64url"))).toBe(true);
  expect(decode(header)).toMatchObject({ alg: "RS256", typ: "JWT" });
  const claims = decode(payload);
  expect(claims).toMatchObject({
    iss: config.issuer,
    aud: LOCAL_API_CLIENT_ID,
    sub: "alice",
    roles: ["admin", "auditor"],
  });
  expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
});

it("refuses a call without --sub, saying how to call it", () => {
  const result = run(["--roles", "admin"]);
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/--sub is required\. Usage: npm run token/);
});
