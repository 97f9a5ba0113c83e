/**
 * What a chaos run does: steady order arrivals (rate, duration, token mix), the faults to
 * inject and when, settings for the stack, and how long orders may take to settle. Read
 * from a small JSON file (`--plan`) and/or flags; flags win.
 */
import { readFileSync } from "node:fs";
import { parseFaultDuration } from "@order-processing/local-runtime/faults";

/** One fault of the schedule, relative to the start of the arrivals. */
export interface ChaosFault {
  readonly target: string;
  readonly fault: string;
  /** When it is switched on, ms after the first arrival. */
  readonly atMs: number;
  /** How long it lasts: ms, `run` (until every order settled), or, when absent, until the arrivals end. */
  readonly for?: number | "run";
  /** Repeat a one-off fault (host kill, connection drop) this often. */
  readonly everyMs?: number;
  /** The rest of the control API body (share, retryAfterMs, ms, mode). */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface ChaosPlan {
  readonly name: string;
  /** Orders per second. */
  readonly rate: number;
  readonly durationMs: number;
  /** Payment token → weight. */
  readonly tokens: Readonly<Record<string, number>>;
  readonly faults: readonly ChaosFault[];
  /** Settings for the stack over npm start's defaults (none by default). */
  readonly settings: Readonly<Record<string, string>>;
  readonly settleTimeoutMs: number;
}

export const TOKEN_EXPECTATIONS: Readonly<Record<string, string>> = {
  tok_visa: "Confirmed",
  tok_flaky: "Confirmed",
  tok_decline: "Failed/PaymentDeclined",
  tok_insufficient_funds: "Failed/PaymentDeclined",
};

export const DEFAULT_PLAN: ChaosPlan = {
  name: "chaos",
  rate: 5,
  durationMs: 60_000,
  tokens: { tok_visa: 5, tok_flaky: 2, tok_decline: 2, tok_insufficient_funds: 1 },
  faults: [],
  settings: {},
  settleTimeoutMs: 600_000,
};

const FAULT_OPTION_FIELDS: Record<string, { field: string; duration: boolean }> = {
  share: { field: "share", duration: false },
  retryAfter: { field: "retryAfterMs", duration: true },
  ms: { field: "ms", duration: true },
  mode: { field: "mode", duration: false },
};

function duration(value: unknown, what: string): number {
  const ms =
    typeof value === "string" || typeof value === "number" ? parseFaultDuration(value) : undefined;
  if (ms === undefined) throw new Error(`${what}: "${String(value)}" is not a duration (15s, 2m).`);
  return ms;
}

/** A fault from its JSON form: `{ "target", "fault", "at", "for", "every", ...options }`. */
export function faultFromJson(raw: Record<string, unknown>, where: string): ChaosFault {
  const { target, fault, at, every, ...rest } = raw;
  const lasts = rest.for;
  delete rest.for;
  if (typeof target !== "string" || typeof fault !== "string")
    throw new Error(`${where}: needs "target" and "fault".`);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    const known = FAULT_OPTION_FIELDS[key];
    if (!known) throw new Error(`${where}: unknown option "${key}".`);
    options[known.field] = known.duration ? duration(value, `${where}.${key}`) : value;
  }
  return {
    target,
    fault,
    atMs: at === undefined ? 0 : duration(at, `${where}.at`),
    ...(lasts === undefined
      ? {}
      : { for: lasts === "run" ? "run" : duration(lasts, `${where}.for`) }),
    ...(every === undefined ? {} : { everyMs: duration(every, `${where}.every`) }),
    options,
  };
}

/** `host kill --every 20s --at 5s`, `cosmos throttle --share 0.1 --for run`: the flag form. */
export function faultFromText(text: string): ChaosFault {
  const [target, fault, ...rest] = text.trim().split(/\s+/);
  const raw: Record<string, unknown> = { target, fault };
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i] ?? "";
    const value = rest[i + 1];
    if (!key.startsWith("--") || value === undefined)
      throw new Error(`--fault "${text}": options are --name value pairs.`);
    const name = key.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    raw[name] = name === "share" ? Number(value) : value;
  }
  return faultFromJson(raw, `--fault "${text}"`);
}

/** The plan from a JSON file's object, over the defaults. */
export function planFromJson(raw: Record<string, unknown>, name: string): ChaosPlan {
  const faults = Array.isArray(raw.faults) ? (raw.faults as Record<string, unknown>[]) : [];
  return {
    name: typeof raw.name === "string" ? raw.name : name,
    rate: typeof raw.rate === "number" ? raw.rate : DEFAULT_PLAN.rate,
    durationMs:
      raw.duration === undefined ? DEFAULT_PLAN.durationMs : duration(raw.duration, "duration"),
    tokens: (raw.tokens as Record<string, number> | undefined) ?? DEFAULT_PLAN.tokens,
    faults: faults.map((f, i) => faultFromJson(f, `faults[${i}]`)),
    settings: (raw.settings as Record<string, string> | undefined) ?? {},
    settleTimeoutMs:
      raw.settleTimeout === undefined
        ? DEFAULT_PLAN.settleTimeoutMs
        : duration(raw.settleTimeout, "settleTimeout"),
  };
}

export function loadPlan(file: string): ChaosPlan {
  const name = file.replace(/^.*\//, "").replace(/\.json$/, "");
  return planFromJson(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>, name);
}

/** Checks what would make the run meaningless; throws naming the field. */
export function validatePlan(plan: ChaosPlan): ChaosPlan {
  if (!(plan.rate > 0)) throw new Error(`rate must be above 0 (got ${plan.rate}).`);
  if (!(plan.durationMs > 0)) throw new Error(`duration must be above 0.`);
  const tokens = Object.entries(plan.tokens);
  if (tokens.length === 0) throw new Error("tokens: give at least one token with a weight.");
  for (const [token, weight] of tokens) {
    if (!(token in TOKEN_EXPECTATIONS))
      throw new Error(
        `tokens.${token}: no expected outcome; use ${Object.keys(TOKEN_EXPECTATIONS).join(", ")}.`,
      );
    if (!(weight > 0)) throw new Error(`tokens.${token}: weight must be above 0.`);
  }
  return plan;
}

/**
 * The tokens of the first `count` orders: smooth weighted round robin, so every cycle of
 * (sum of weights) orders holds each token exactly its weight's number of times, spread out,
 * and a run is repeatable.
 */
export function tokenSequence(plan: ChaosPlan, count: number): string[] {
  const entries = Object.entries(plan.tokens);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const current = new Map(entries.map(([token]) => [token, 0]));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let best = entries[0]![0];
    for (const [token, weight] of entries) {
      current.set(token, current.get(token)! + weight);
      if (current.get(token)! > current.get(best)!) best = token;
    }
    current.set(best, current.get(best)! - total);
    out.push(best);
  }
  return out;
}
