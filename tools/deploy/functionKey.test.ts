import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./bicepText";

const run = promisify(execFile);
const SCRIPT = join(REPO_ROOT, "tools/deploy/functionKey.sh");
const APIM_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim";

/**
 * The Azure CLI has no local stand-in, so these tests put a scripted `az` first on PATH: it
 * records every call and answers from files the test writes, the way the real CLI answers
 * (errors on stderr with a non-zero exit).
 */
const FAKE_AZ = `#!/usr/bin/env bash
state="$FAKE_AZ_DIR"
echo "$*" >> "$state/calls"
case "$1 $2" in
  "keyvault list") cat "$state/vault-id" 2>/dev/null || true ;;
  "resource show")
    if [[ "$*" == *"/secrets/"* ]]; then
      case "$(cat "$state/secret")" in
        exists) echo "$3/secrets/function-host-key" ;;
        missing) echo "ERROR: (ResourceNotFound) The Resource was not found." >&2; exit 3 ;;
        *) echo "ERROR: (AuthorizationFailed) The client does not have authorization." >&2; exit 1 ;;
      esac
    else
      echo "${APIM_ID}"
    fi ;;
  "functionapp keys")
    misses=$(cat "$state/key-misses")
    if (( misses > 0 )); then
      echo $((misses - 1)) > "$state/key-misses"
      echo "ERROR: Operation returned an invalid status 'Bad Request'" >&2; exit 1
    fi
    cat "$state/key" ;;
  "keyvault secret")
    case "$3" in
      show) cat "$state/current" ;;
      set) echo "$*" > "$state/set" ;;
    esac ;;
  "rest --method") : ;;
  *) echo "unexpected az $*" >&2; exit 99 ;;
esac
`;

let dir: string;

function state(name: string, value: string): void {
  writeFileSync(join(dir, name), value);
}

function calls(): string[] {
  try {
    return readFileSync(join(dir, "calls"), "utf8").trim().split("\n");
  } catch {
    return [];
  }
}

async function script(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: `${dir}:${process.env.PATH ?? ""}`,
    FAKE_AZ_DIR: dir,
    FUNCTION_KEY_RETRY_SECONDS: "0",
    FUNCTION_KEY_ATTEMPTS: "4",
  };
  return run("bash", [SCRIPT, ...args], { env });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "function-key-"));
  writeFileSync(join(dir, "az"), FAKE_AZ);
  chmodSync(join(dir, "az"), 0o755);
  state("key-misses", "0");
  state("secret", "missing");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("functionKey.sh exists", () => {
  it("answers false when the environment has no vault yet (a first deployment)", async () => {
    await expect(script("exists", "rg", "dev")).resolves.toMatchObject({ stdout: "false\n" });
    expect(calls()[0]).toContain(
      "keyvault list --resource-group rg --query [?tags.workload=='orders' && tags.environment=='dev'].id | [0]",
    );
  });

  it("answers true when the vault holds the secret, and false when it does not", async () => {
    state("vault-id", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv");
    state("secret", "exists");
    await expect(script("exists", "rg", "prod")).resolves.toMatchObject({ stdout: "true\n" });
    state("secret", "missing");
    await expect(script("exists", "rg", "prod")).resolves.toMatchObject({ stdout: "false\n" });
  });

  it("fails, rather than answering false, when the secret cannot be looked up", async () => {
    state("vault-id", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv");
    state("secret", "forbidden");
    await expect(script("exists", "rg", "prod")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("AuthorizationFailed"),
    });
  });
});

describe("functionKey.sh handoff", () => {
  it("waits for the starting host's key, stores it and makes APIM re-read it", async () => {
    state("key-misses", "2");
    state("key", "new-key\n");
    state("current", "placeholder\n");
    const { stdout } = await script("handoff", "rg", "func", "kv", "apim", "function-host-key");
    expect(stdout).toContain("function key handed to APIM through kv/function-host-key");
    expect(calls().filter((c) => c.startsWith("functionapp keys list"))).toHaveLength(3);
    expect(readFileSync(join(dir, "set"), "utf8")).toContain(
      "keyvault secret set --vault-name kv --name function-host-key --value new-key",
    );
    const refresh = calls().find((c) => c.startsWith("rest --method post"));
    expect(refresh).toContain(
      `--url https://management.azure.com${APIM_ID}/namedValues/function-host-key/refreshSecret?api-version=2024-05-01`,
    );
  });

  it("changes nothing when Key Vault already holds the current key", async () => {
    state("key", "same-key\n");
    state("current", "same-key\n");
    const { stdout } = await script("handoff", "rg", "func", "kv", "apim");
    expect(stdout).toContain("already holds the current function key");
    expect(calls().some((c) => c.startsWith("keyvault secret set"))).toBe(false);
    expect(calls().some((c) => c.startsWith("rest "))).toBe(false);
  });

  it("fails with the app's name when the host never gives a key", async () => {
    state("key-misses", "100");
    await expect(script("handoff", "rg", "func", "kv", "apim")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        "the host of func gave no default function key after 4 attempts",
      ),
    });
    expect(calls().some((c) => c.startsWith("keyvault secret set"))).toBe(false);
  });
});
