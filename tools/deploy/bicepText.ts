import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { REPO_ROOT } from "../repoRoot";

/**
 * Small readers over Bicep source text. The Bicep compiler is not installable here (it is
 * not in the npm registry), so the consistency tests read the few constructs they guard
 * straight from the text; the files keep those constructs in plain, parseable shapes.
 */

export { REPO_ROOT };

export function readRepoFile(repoRelativePath: string): string {
  return readFileSync(join(REPO_ROOT, repoRelativePath), "utf8");
}

/** Drops `//` line comments and block comments, keeping string literals intact. */
export function stripBicepComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function endOfString(text: string, start: number): number {
  if (text.startsWith("'''", start)) {
    const end = text.indexOf("'''", start + 3);
    return end < 0 ? text.length : end + 3;
  }
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "\\") i += 2;
    else if (text[i] === "'") return i + 1;
    else i++;
  }
  return i;
}

/**
 * The top-level entries of the object literal assigned by `var <name> = {`, as
 * key -> raw value text. Keys may be identifiers or quoted strings.
 */
export function bicepObjectVariable(text: string, name: string): Map<string, string> {
  const source = stripBicepComments(text);
  const header = new RegExp(`^var\\s+${name}\\s*=\\s*\\{`, "m").exec(source);
  if (!header) throw new Error(`var ${name} = { ... } not found`);
  return objectEntriesFrom(source, header.index + header[0].length);
}

/**
 * The top-level entries of the object literal whose opening brace ends just before `start`
 * in comment-free Bicep source, as key -> raw value text.
 */
export function objectEntriesFrom(source: string, start: number): Map<string, string> {
  const entries = new Map<string, string>();
  let depth = 0;
  let line = "";
  for (let i = start; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "'") {
      const end = endOfString(source, i);
      line += source.slice(i, end);
      i = end - 1;
      continue;
    }
    if (ch === "{" || ch === "[" || ch === "(") depth++;
    if (ch === "}" || ch === "]" || ch === ")") {
      if (depth === 0) break;
      depth--;
    }
    if (ch === "\n" && depth === 0) {
      addEntry(entries, line);
      line = "";
    } else {
      line += ch;
    }
  }
  addEntry(entries, line);
  return entries;
}

function addEntry(entries: Map<string, string>, line: string): void {
  const match = /^\s*(?:'([^']+)'|([A-Za-z_][A-Za-z0-9_]*))\s*:\s*([\s\S]*?)\s*$/.exec(line);
  if (match) entries.set(match[1] ?? match[2]!, match[3]!);
}

/** A Bicep single-quoted literal without interpolation, or undefined for any expression. */
export function bicepStringLiteral(valueText: string): string | undefined {
  const match = /^'((?:[^'\\$]|\\.|\$(?!\{))*)'$/.exec(valueText.trim());
  return match ? match[1]!.replace(/\\(.)/g, "$1") : undefined;
}

/**
 * Every file a Bicep file loads with loadTextContent / loadJsonContent, as repository-relative
 * paths (Bicep resolves them against the loading file's folder).
 */
export function loadedFiles(bicepRepoRelativePath: string): string[] {
  const text = stripBicepComments(readRepoFile(bicepRepoRelativePath));
  const folder = dirname(join(REPO_ROOT, bicepRepoRelativePath));
  const found: string[] = [];
  for (const match of text.matchAll(/load(?:Text|Json)Content\(\s*'([^']+)'/g)) {
    found.push(relative(REPO_ROOT, resolve(folder, match[1]!)).split("\\").join("/"));
  }
  return found;
}

/** A module's declared parameters: name -> whether it has a default value. */
export function bicepParams(text: string): Map<string, boolean> {
  const params = new Map<string, boolean>();
  for (const m of stripBicepComments(text).matchAll(/^param\s+(\w+)\s+[^=\n]+?(=.*)?$/gm)) {
    params.set(m[1]!, m[2] !== undefined);
  }
  return params;
}

/** A module's declared outputs. */
export function bicepOutputs(text: string): Set<string> {
  return new Set([...stripBicepComments(text).matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!));
}

/**
 * Each `module <symbol> '<path>' = {` (or `= if (<condition>) {`) of a file, with its condition
 * ("" when unconditional) and the entries of its `params` object.
 */
export function bicepModules(
  text: string,
): { symbol: string; path: string; condition: string; params: Map<string, string> }[] {
  const source = stripBicepComments(text);
  const found: { symbol: string; path: string; condition: string; params: Map<string, string> }[] =
    [];
  for (const m of source.matchAll(
    /^module\s+(\w+)\s+'([^']+)'\s*=\s*(?:if\s*\(([^)]*)\)\s*)?\{/gm,
  )) {
    const body = source.slice(m.index + m[0].length);
    const params = /\n\s*params:\s*\{/.exec(body);
    // A params block belongs to this module only if it comes before the next module.
    const next = body.search(/^module\s/m);
    const own = params && (next < 0 || params.index < next);
    found.push({
      symbol: m[1]!,
      path: m[2]!,
      condition: (m[3] ?? "").trim(),
      params: own
        ? objectEntriesFrom(source, m.index + m[0].length + params.index + params[0].length)
        : new Map<string, string>(),
    });
  }
  return found;
}

/**
 * The decorators written above `param <name>` (`@minValue(40)` -> minValue: "40"), read from
 * the lines directly above the declaration.
 */
export function bicepParamDecorators(text: string, name: string): Map<string, string> {
  const lines = stripBicepComments(text).split("\n");
  const at = lines.findIndex((line) => new RegExp(`^param\\s+${name}\\s`).test(line));
  if (at < 0) throw new Error(`param ${name} not found`);
  const decorators = new Map<string, string>();
  for (let i = at - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    // The inside and the end of a multi-line @allowed([...]) list.
    if (line === "" || /^[\])]+$/.test(line) || /^'/.test(line) || /^-?\d+$/.test(line)) continue;
    const match = /^@(\w+)\((.*)$/.exec(line);
    if (!match) break;
    decorators.set(match[1]!, match[2]!.replace(/\)$/, "").trim());
  }
  return decorators;
}

/** The default value text of `param <name> <type> = <default>`, or undefined without one. */
export function bicepParamDefault(text: string, name: string): string | undefined {
  const match = new RegExp(`^param\\s+${name}\\s+\\w+\\s*=\\s*(.+)$`, "m").exec(
    stripBicepComments(text),
  );
  return match ? match[1]!.trim() : undefined;
}

/** The value text of `var <name> = <value>` on one line, or undefined. */
export function bicepVarLine(text: string, name: string): string | undefined {
  const match = new RegExp(`^var\\s+${name}\\s*=\\s*(.+)$`, "m").exec(stripBicepComments(text));
  return match ? match[1]!.trim() : undefined;
}

/** Each `resource <symbol> '<type>@<apiVersion>'` of a file. */
export function bicepResources(
  text: string,
): { symbol: string; type: string; apiVersion: string }[] {
  return [...stripBicepComments(text).matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'/gm)].map(
    (m) => ({ symbol: m[1]!, type: m[2]!, apiVersion: m[3]! }),
  );
}

/**
 * The body of `resource <symbol> ... {` up to its closing brace at the same depth, so a test
 * can look at one resource's properties and dependsOn.
 */
export function bicepResourceBody(text: string, symbol: string): string {
  const source = stripBicepComments(text);
  const header = new RegExp(`^resource\\s+${symbol}\\s+'[^']+'[^\\n{]*\\{`, "m").exec(source);
  if (!header) throw new Error(`resource ${symbol} not found`);
  let depth = 1;
  let i = header.index + header[0].length;
  for (; i < source.length && depth > 0; i++) {
    const ch = source[i];
    if (ch === "'") {
      i = endOfString(source, i) - 1;
      continue;
    }
    if (ch === "{" || ch === "[") depth++;
    if (ch === "}" || ch === "]") depth--;
  }
  return source.slice(header.index, i);
}
