/**
 * HTTP route templates as the Functions host reads them (ASP.NET Core route syntax):
 * literals, `{name}`, `{name?}`, `{name=default}`, constraints such as `{id:int}`,
 * `{name:alpha}`, `{n:min(1)}`, `{s:regex(^a)}`, and a final catch-all `{*rest}`.
 * Literals match case-insensitively; values are URL-decoded.
 */

type Constraint = (value: string) => boolean;

interface Parameter {
  readonly name: string;
  readonly optional: boolean;
  readonly catchAll: boolean;
  readonly defaultValue: string | undefined;
  readonly constraints: readonly Constraint[];
}

export interface CompiledRoute {
  readonly template: string;
  /** Segment ranks, compared left to right: lower wins (literal < constrained < plain < optional < catch-all). */
  readonly precedence: readonly number[];
  match(path: string): Record<string, string> | undefined;
}

const INT = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const GUID = /^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[)}]?$/i;

function constraintOf(spec: string): Constraint {
  const call = /^(\w+)(?:\((.*)\))?$/s.exec(spec);
  const kind = call?.[1]?.toLowerCase();
  const arg = call?.[2] ?? "";
  const args = arg.split(",").map((a) => Number(a.trim()));
  switch (kind) {
    case "int":
    case "long":
      return (v) => INT.test(v);
    case "decimal":
    case "double":
    case "float":
      return (v) => DECIMAL.test(v);
    case "bool":
      return (v) => /^(true|false)$/i.test(v);
    case "guid":
      return (v) => GUID.test(v);
    case "alpha":
      return (v) => /^[a-z]+$/i.test(v);
    case "datetime":
      return (v) => !Number.isNaN(Date.parse(v));
    case "min":
      return (v) => INT.test(v) && Number(v) >= (args[0] ?? 0);
    case "max":
      return (v) => INT.test(v) && Number(v) <= (args[0] ?? 0);
    case "range":
      return (v) => INT.test(v) && Number(v) >= (args[0] ?? 0) && Number(v) <= (args[1] ?? 0);
    case "length":
      return args.length > 1
        ? (v) => v.length >= (args[0] ?? 0) && v.length <= (args[1] ?? 0)
        : (v) => v.length === args[0];
    case "minlength":
      return (v) => v.length >= (args[0] ?? 0);
    case "maxlength":
      return (v) => v.length <= (args[0] ?? 0);
    case "regex": {
      const re = new RegExp(arg, "i");
      return (v) => re.test(v);
    }
    case "required":
      return (v) => v.length > 0;
    default:
      throw new Error(`Unknown route constraint "${spec}".`);
  }
}

function parseParameter(body: string): Parameter {
  let text = body;
  let catchAll = false;
  if (text.startsWith("**")) {
    catchAll = true;
    text = text.slice(2);
  } else if (text.startsWith("*")) {
    catchAll = true;
    text = text.slice(1);
  }
  let optional = false;
  if (text.endsWith("?")) {
    optional = true;
    text = text.slice(0, -1);
  }
  let defaultValue: string | undefined;
  const eq = text.indexOf("=");
  if (eq >= 0) {
    defaultValue = text.slice(eq + 1);
    text = text.slice(0, eq);
  }
  // Constraints are `:`-separated; a regex constraint may contain `:` inside its parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === ":" && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  const [name, ...specs] = parts;
  if (!name) throw new Error(`Route parameter "{${body}}" has no name.`);
  return {
    name,
    optional: optional || defaultValue !== undefined || catchAll,
    catchAll,
    defaultValue,
    constraints: specs.map(constraintOf),
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Compiles a template (without the route prefix) such as `orders/{id}/cancel`. */
export function compileRoute(template: string): CompiledRoute {
  const segments = template
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .filter((s) => s.length > 0);
  const params: Parameter[] = [];
  const precedence: number[] = [];
  let pattern = "^";
  segments.forEach((segment, index) => {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole?.[1]) {
      const param = parseParameter(whole[1]);
      if (param.catchAll && index !== segments.length - 1) {
        throw new Error(`A catch-all parameter must be the last segment of route "${template}".`);
      }
      params.push(param);
      precedence.push(param.catchAll ? 5 : param.optional ? 4 : param.constraints.length ? 2 : 3);
      pattern += param.catchAll ? "(?:/(.*))?" : param.optional ? "(?:/([^/]+))?" : "/([^/]+)";
      return;
    }
    // A literal segment, possibly with parameters inside (`{a}.{b}`).
    let segPattern = "";
    let rest = segment;
    let hasParam = false;
    while (rest.length > 0) {
      const open = rest.indexOf("{");
      if (open < 0) {
        segPattern += escape(rest);
        break;
      }
      segPattern += escape(rest.slice(0, open));
      const close = rest.indexOf("}", open);
      if (close < 0) throw new Error(`Unclosed "{" in route "${template}".`);
      const param = parseParameter(rest.slice(open + 1, close));
      params.push(param);
      hasParam = true;
      segPattern += param.optional ? "(.*?)" : "(.+?)";
      rest = rest.slice(close + 1);
    }
    precedence.push(hasParam ? 2 : 1);
    pattern += "/" + segPattern;
  });
  const regex = new RegExp(pattern + "/?$", "i");
  return {
    template,
    precedence,
    match(path: string): Record<string, string> | undefined {
      const found = regex.exec(path === "" ? "" : path.startsWith("/") ? path : "/" + path);
      if (!found) return undefined;
      const values: Record<string, string> = {};
      for (const [i, param] of params.entries()) {
        const raw = found[i + 1];
        if (raw === undefined || raw === "") {
          if (!param.optional) return undefined;
          if (param.defaultValue !== undefined) values[param.name] = param.defaultValue;
          continue;
        }
        const value = param.catchAll ? raw.split("/").map(decode).join("/") : decode(raw);
        if (!param.constraints.every((c) => c(value))) return undefined;
        values[param.name] = value;
      }
      return values;
    },
  };
}

/** Orders routes so the most specific one is tried first, as ASP.NET routing does. */
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    // A missing segment sorts after a present literal but before parameters of the other.
    const pa = a.precedence[i] ?? 3.5;
    const pb = b.precedence[i] ?? 3.5;
    if (pa !== pb) return pa - pb;
  }
  return 0;
}
