import { execFile } from "node:child_process";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { runtimeDist } from "../testing/runtimePaths";

const run = promisify(execFile);
const COMPILED = runtimeDist("launcher", "cosmos.js");

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "cosmos-cert-"));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

/** One process asks for the certificate, as each jest worker's stand-ins do; prints its PEM. */
async function certificateSeenByAProcess(): Promise<string> {
  const script = `require(${JSON.stringify(COMPILED)})
    .ensureCosmosCertificate(${JSON.stringify(directory)})
    .then((c) => process.stdout.write(c.cert.toString("utf8")))`;
  const { stdout } = await run(process.execPath, ["-e", script]);
  return stdout;
}

describe("ensureCosmosCertificate", () => {
  it("gives processes that race on a fresh clone one certificate, the one on disk, with its key", async () => {
    const seen = await Promise.all(Array.from({ length: 4 }, () => certificateSeenByAProcess()));
    const onDisk = await readFile(path.join(directory, "cert.pem"), "utf8");
    expect(new Set(seen)).toEqual(new Set([onDisk]));
    const key = createPrivateKey(await readFile(path.join(directory, "key.pem")));
    expect(new X509Certificate(onDisk).checkPrivateKey(key)).toBe(true);
    expect(new X509Certificate(onDisk).checkIP("127.0.0.1")).toBe("127.0.0.1");
  });

  it("keeps a valid certificate instead of making a new one", async () => {
    const first = await certificateSeenByAProcess();
    expect(await certificateSeenByAProcess()).toBe(first);
  });
});
