/**
 * Reads a V8 CPU profile (`node --cpu-prof` writes one per process at exit) and sums the time
 * spent in each function itself (self time) and in each package: a node_modules package by
 * name, `app` (the compiled app), `local-runtime` (infra/local), `node:<module>` (Node's own
 * modules: `node:streams`, `node:_http_client`, …), `(native)` (C++ built-ins: socket writes,
 * JSON, crypto),
 * and V8's pseudo-frames `(garbage collector)`, `(program)` (native work outside JavaScript)
 * and `(idle)` (waiting for I/O, left out of the busy time).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
  /** Percent of the busy time. */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers. */
  readonly durationMs: number;
  /** Time not idle: JavaScript, GC and native work. */
  readonly busyMs: number;
  readonly functions: Share[];
  readonly packages: Share[];
}

const IDLE = "(idle)";

/** Which package a frame belongs to, from its script URL. */
export function packageOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) {
    // node:internal/streams/readable → "node:streams"; node:_http_client → "node:_http_client".
    const name = url.slice("node:".length).replace(/^internal\//, "");
    return `node:${name.split("/")[0] ?? name}`;
  }
  const path = url.replace(/^file:\/\//, "");
  const at = path.lastIndexOf("/node_modules/");
  if (at >= 0) {
    const rest = path.slice(at + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? path);
  }
  if (path.includes("/infra/local/")) return "local-runtime";
  if (path.includes("/tools/")) return "tools";
  if (/\/dist\/(shared|functions)\//.test(path)) return "app";
  return "(other)";
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const at = path.lastIndexOf("/node_modules/");
  if (at >= 0) return path.slice(at + "/node_modules/".length);
  const dist = path.search(/\/(infra\/local\/dist|dist)\//);
  return dist >= 0 ? path.slice(dist + 1) : path;
}

function top(totals: Map<string, number>, busy: number, count: number): Share[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 1000),
      percent: busy > 0 ? Number(((100 * us) / busy).toFixed(1)) : 0,
    }));
}

/** A window of the profile to sum, in the monotonic clock's microseconds (process.hrtime). */
export interface ProfileWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

export function summarizeProfile(
  profile: CpuProfile,
  count = 15,
  window?: ProfileWindow,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    // Each sample's time is the delta to the next sample; samples outside the window are left
    // out (V8 stamps them with the same monotonic clock as process.hrtime).
    let at = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      at += deltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) continue;
      const id = samples[i] as number;
      const us = deltas[i + 1] ?? 0;
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, us));
    }
  } else {
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
    const per = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
    for (const node of profile.nodes) selfUs.set(node.id, (node.hitCount ?? 0) * per);
  }
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === IDLE) continue;
    busy += us;
    const pkg = packageOf(url, functionName);
    const name = url
      ? `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`
      : functionName || "(anonymous)";
    functions.set(name, (functions.get(name) ?? 0) + us);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const from = Math.max(profile.startTime, window?.fromUs ?? profile.startTime);
  const to = Math.min(profile.endTime, window?.toUs ?? profile.endTime);
  return {
    durationMs: Math.round(Math.max(0, to - from) / 1000),
    busyMs: Math.round(busy / 1000),
    functions: top(functions, busy, count),
    packages: top(packages, busy, count),
  };
}

export function summarizeProfileFile(
  file: string,
  count = 15,
  window?: ProfileWindow,
): ProfileSummary {
  return summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, count, window);
}
