/**
 * `npm run token -- --sub alice [--roles admin,…] [--aud <audience>] [--expires-in <seconds>]`:
 * prints an access token the local identity stand-in's key signs, for the API in token mode
 * (AUTH_MODE=token). The issuer is the stand-in's on IDENTITY_PORT (environment, else
 * local.settings.json, else 8890); the key is `.local/identity/`'s, made here if `npm start`
 * has not made it yet.
 */
import path from "node:path";
import { applyLocalSettings } from "../host/localSettings";
import {
  DEFAULT_IDENTITY_PORT,
  LOCAL_API_CLIENT_ID,
  LOCAL_TENANT,
  localIssuer,
} from "./identityService";
import { mintToken } from "./mintToken";
import { loadOrCreateSigningKey } from "./signingKey";

const USAGE =
  "Usage: npm run token -- --sub <customer id> [--roles admin,...] [--aud <audience>] [--expires-in <seconds>]";

export interface TokenArgs {
  readonly sub: string;
  readonly roles: string[];
  readonly aud: string;
  readonly expiresInSeconds: number;
}

export function parseTokenArgs(argv: readonly string[]): TokenArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    if (!["--sub", "--roles", "--aud", "--expires-in"].includes(flag) || value === undefined)
      throw new Error(`Unexpected argument "${flag}". ${USAGE}`);
    values.set(flag, value);
  }
  const sub = values.get("--sub")?.trim();
  if (!sub) throw new Error(`--sub is required. ${USAGE}`);
  const expires = Number(values.get("--expires-in") ?? "3600");
  if (!Number.isInteger(expires)) throw new Error(`--expires-in expects whole seconds. ${USAGE}`);
  return {
    sub,
    roles: (values.get("--roles") ?? "")
      .split(",")
      .map((role) => role.trim())
      .filter((role) => role !== ""),
    aud: values.get("--aud") ?? LOCAL_API_CLIENT_ID,
    expiresInSeconds: expires,
  };
}

function main(): void {
  try {
    const args = parseTokenArgs(process.argv.slice(2));
    const root = process.cwd();
    applyLocalSettings(root, process.env);
    const port = Number(process.env.IDENTITY_PORT || DEFAULT_IDENTITY_PORT);
    const key = loadOrCreateSigningKey(path.join(root, ".local", "identity"));
    const token = mintToken(
      {
        sub: args.sub,
        roles: args.roles,
        aud: args.aud,
        iss: localIssuer("127.0.0.1", port),
        tid: LOCAL_TENANT,
        expiresInSeconds: args.expiresInSeconds,
      },
      { key },
    );
    process.stdout.write(`${token}\n`);
  } catch (error) {
    process.stderr.write(`npm run token: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
