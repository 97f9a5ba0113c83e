/**
 * `npm run faults -- …` arguments to a control API request:
 *
 *   <target> <fault> [options]   POST /faults/<target>/<fault>
 *   status                       GET /faults
 *   clear [<target> <fault>]     DELETE /faults[/<target>/<fault>]
 *
 * Options become the JSON body: --share 0.1 → share, --retry-after 100ms → retryAfterMs,
 * --ms 200 → ms, --for 15s → forMs, --every 20s → everyMs, --mode reset → mode. The server
 * checks the values; this only refuses what it cannot read.
 */
import { parseFaultDuration } from "./faultDuration";

export interface FaultRequest {
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  readonly body?: Record<string, unknown>;
}

const OPTIONS: Record<string, { field: string; kind: "duration" | "number" | "text" }> = {
  "--share": { field: "share", kind: "number" },
  "--retry-after": { field: "retryAfterMs", kind: "duration" },
  "--ms": { field: "ms", kind: "duration" },
  "--for": { field: "forMs", kind: "duration" },
  "--every": { field: "everyMs", kind: "duration" },
  "--mode": { field: "mode", kind: "text" },
};

export const FAULT_USAGE = `Usage: npm run faults -- <target> <fault> [options] | status | clear [<target> <fault>] [--url <control API>]

  cosmos throttle --share 0.1 [--retry-after 100ms] [--for 30s]   429 (substatus 3200) with x-ms-retry-after-ms
  cosmos unavailable --share 0.05 [--for 30s]                      503 ServiceUnavailable
  cosmos delay --ms 200 [--share 1] [--for 30s]                    added latency
  servicebus drop-connections [--every 30s]                        every AMQP connection reset
  servicebus busy [--for 10s]                                      sends refused: com.microsoft:server-busy
  storage outage [--for 15s] [--mode refuse|reset]                 Azurite unreachable
  host kill [--every 20s]                                          SIGKILL the Functions host (npm start restarts it)

The stack must run with fault injection: npm start -- --faults. The control API is
http://127.0.0.1:<FAULTS_PORT> (7075 unless FAULTS_PORT says otherwise).`;

/** The request, or the reason the arguments cannot make one. */
export function parseFaultArgs(
  argv: readonly string[],
): { request: FaultRequest; url?: string } | { error: string } {
  const words: string[] = [];
  const body: Record<string, unknown> = {};
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      words.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) return { error: `${arg} needs a value.` };
    i++;
    if (arg === "--url") {
      url = value;
      continue;
    }
    const option = OPTIONS[arg];
    if (!option) return { error: `Unknown option ${arg}.` };
    if (option.kind === "duration") {
      const ms = parseFaultDuration(value);
      if (ms === undefined)
        return { error: `${arg} "${value}" is not a duration (200ms, 15s, 2m).` };
      body[option.field] = ms;
    } else if (option.kind === "number") {
      const n = Number(value);
      if (value.trim() === "" || !Number.isFinite(n))
        return { error: `${arg} "${value}" is not a number.` };
      body[option.field] = n;
    } else {
      body[option.field] = value;
    }
  }
  const at = url === undefined ? {} : { url };
  if (words.length === 1 && words[0] === "status" && Object.keys(body).length === 0)
    return { request: { method: "GET", path: "/faults" }, ...at };
  if (words[0] === "clear" && Object.keys(body).length === 0) {
    if (words.length === 1) return { request: { method: "DELETE", path: "/faults" }, ...at };
    if (words.length === 3)
      return { request: { method: "DELETE", path: faultPath(words[1]!, words[2]!) }, ...at };
  }
  if (words.length !== 2) return { error: FAULT_USAGE };
  const [target, fault] = words as [string, string];
  return { request: { method: "POST", path: faultPath(target, fault), body }, ...at };
}

function faultPath(target: string, fault: string): string {
  return `/faults/${encodeURIComponent(target)}/${encodeURIComponent(fault)}`;
}
