/**
 * `npm run faults -- <target> <fault> [options] | status | clear [<target> <fault>]`: drives the fault
 * injection of a stack started with `npm start -- --faults`, through its control API. See
 * FAULT_USAGE for the faults. Prints what is on and what the faults did so far; exits 1 when
 * the request is refused (the reason names the field) or the control API does not answer.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { FAULT_USAGE, parseFaultArgs } from "./faultArgs";
import { FAULTS_PORT_SETTING, faultsPortFrom } from "./faultsPort";

/** FAULTS_PORT from the environment, else from local.settings.json Values, as npm start reads it. */
function controlUrl(cwd: string): string {
  let env: Record<string, string | undefined> = process.env;
  const file = path.join(cwd, "local.settings.json");
  if (env[FAULTS_PORT_SETTING] === undefined && existsSync(file)) {
    const values = (JSON.parse(readFileSync(file, "utf8")) as { Values?: Record<string, string> })
      .Values;
    env = { ...values, ...env };
  }
  return `http://127.0.0.1:${faultsPortFrom(env)}`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${FAULT_USAGE}\n`);
    return argv.length === 0 ? 1 : 0;
  }
  const parsed = parseFaultArgs(argv);
  if ("error" in parsed) {
    process.stderr.write(`${parsed.error}\n`);
    return 1;
  }
  const base = parsed.url ?? controlUrl(process.cwd());
  let response: Response;
  try {
    response = await fetch(`${base}${parsed.request.path}`, {
      method: parsed.request.method,
      ...(parsed.request.body
        ? {
            body: JSON.stringify(parsed.request.body),
            headers: { "content-type": "application/json" },
          }
        : {}),
    });
  } catch (error) {
    process.stderr.write(
      `The fault control API at ${base} does not answer (${String((error as Error).cause ?? error)}). Is the stack running with npm start -- --faults?\n`,
    );
    return 1;
  }
  const text = await response.text();
  if (!response.ok) {
    process.stderr.write(`${response.status}: ${text}\n`);
    return 1;
  }
  const snapshot = JSON.parse(text) as { active: unknown; counts: unknown };
  process.stdout.write(
    `${JSON.stringify({ active: snapshot.active, counts: snapshot.counts }, null, 2)}\n`,
  );
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
