/**
 * Checks what a Markdown file of this repository points at: relative links (and their
 * `#anchors`), repository paths written in backticks, and, in docs/, test names quoted beside
 * the test file that holds them. The docs name files and tests as evidence (docs/guarantees.md
 * says which test proves what), so a rename that leaves them behind must fail a test.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** A Markdown file cut into what the checks read; fenced code blocks are left out. */
interface ParsedMarkdown {
  /** Lines outside fenced code blocks ("" for fenced ones, so line numbers stay right). */
  readonly lines: readonly string[];
  readonly anchors: ReadonlySet<string>;
}

const FENCE = /^\s*(```|~~~)/;

function parse(text: string): ParsedMarkdown {
  let fenced = false;
  const lines = text.split("\n").map((line) => {
    if (FENCE.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of lines) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slugOf(heading[1] ?? "");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return { lines, anchors };
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slugOf(heading: string): string {
  const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Names .gitignore keeps out of the repository: build and run outputs, never checked. */
function ignoredNames(): ReadonlySet<string> {
  const file = path.join(REPO_ROOT, ".gitignore");
  const names = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  return new Set(
    names
      .map((line) => line.trim().replace(/\/$/, ""))
      .filter((line) => line !== "" && !line.startsWith("#") && !/[*?[]/.test(line)),
  );
}

function existsInRepo(absolute: string): boolean {
  const inside = path.relative(REPO_ROOT, absolute);
  return !inside.startsWith("..") && !path.isAbsolute(inside) && existsSync(absolute);
}

/** A path that may end in a `*` glob in its last segment (`tools/deploy/*.test.ts`). */
function pathExists(absolute: string): boolean {
  const name = path.basename(absolute);
  if (!name.includes("*")) return existsInRepo(absolute);
  const dir = path.dirname(absolute);
  if (!existsInRepo(dir) || !statSync(dir).isDirectory()) return false;
  const pattern = new RegExp(`^${name.split("*").map(escapeRegExp).join(".*")}$`);
  return readdirSync(dir).some((entry) => pattern.test(entry));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const LINK = /\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)/g;
const CODE_SPAN = /`([^`\n]+)`/g;
/** A code span that reads like a path: no spaces, no scheme, a slash or a file extension. */
const PATH_LIKE = /^(?!\/)(?!.*:\/\/)[A-Za-z0-9_.@*-]+(?:\/[A-Za-z0-9_.@*-]*)*$/;

export interface MarkdownProblem {
  readonly line: number;
  readonly message: string;
}

/** Every link, anchor and backticked path of one file that does not resolve. */
export function checkMarkdown(file: string, text: string): MarkdownProblem[] {
  const here = path.dirname(path.join(REPO_ROOT, file));
  const doc = parse(text);
  const ignored = ignoredNames();
  const problems: MarkdownProblem[] = [];
  doc.lines.forEach((line, index) => {
    const report = (message: string) => problems.push({ line: index + 1, message });
    for (const match of line.matchAll(LINK)) {
      const target = match[1] ?? match[2] ?? "";
      const problem = linkProblem(here, target, doc);
      if (problem) report(problem);
    }
    for (const match of line.replace(LINK, "").matchAll(CODE_SPAN)) {
      const problem = pathProblem(here, match[1] ?? "", ignored);
      if (problem) report(problem);
    }
    // Backticked paths inside link texts count too: `[`a/b.ts`](../a/b.ts)`.
    for (const match of line.matchAll(/\[`([^`]+)`\]\(/g)) {
      const problem = pathProblem(here, match[1] ?? "", ignored);
      if (problem) report(problem);
    }
  });
  return problems;
}

function linkProblem(here: string, target: string, doc: ParsedMarkdown): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:, …
  const [rawPath = "", anchor] = target.split("#", 2);
  const filePath = decodeURIComponent(rawPath);
  const absolute =
    filePath === ""
      ? undefined
      : filePath.startsWith("/")
        ? path.join(REPO_ROOT, filePath)
        : path.resolve(here, filePath);
  if (absolute !== undefined && !existsInRepo(absolute)) {
    return `link ${target}: no such file in the repository`;
  }
  if (anchor === undefined || anchor === "") return undefined;
  const anchors =
    absolute === undefined
      ? doc.anchors
      : absolute.endsWith(".md")
        ? parse(readFileSync(absolute, "utf8")).anchors
        : undefined;
  if (anchors !== undefined && !anchors.has(anchor.toLowerCase())) {
    return `link ${target}: no heading with anchor #${anchor}`;
  }
  return undefined;
}

/**
 * A backticked path is checked when its first segment exists at the repository root or next
 * to the Markdown file (so `application/json` or `host.json` `extensions` are not paths);
 * it then has to resolve from one of the two. Paths under ignored names (dist/, .local/,
 * local.settings.json, …) are outputs of a build or a run and are not checked.
 */
function pathProblem(here: string, span: string, ignored: ReadonlySet<string>): string | undefined {
  if (!PATH_LIKE.test(span)) return undefined;
  if (!span.includes("/") && !/\.[A-Za-z0-9]+$/.test(span)) return undefined;
  const segments = span.split("/").filter((segment) => segment !== "");
  if (segments.some((segment) => ignored.has(segment))) return undefined;
  // A glob is checked only in the last segment; `a/**/b` is a pattern, not a path.
  if (segments.slice(0, -1).some((segment) => segment.includes("*"))) return undefined;
  const first = segments[0] ?? "";
  // `../openapi.json` and import specifiers that climb to the app's folders: relative URLs, not repo paths.
  if (first === "." || first === "..") return undefined;
  const bases = [REPO_ROOT, here].filter((base) => existsInRepo(path.join(base, first)));
  if (bases.length === 0) return undefined;
  if (bases.some((base) => pathExists(path.join(base, span)))) return undefined;
  return `path \`${span}\`: no such file in the repository`;
}

/**
 * Test names quoted in docs/: a block (table row or paragraph) that names exactly one test
 * file in backticks and quotes text in double quotes quotes test names of that file. Each
 * must be a test or describe title there; `%s`-style and `${…}` placeholders match anything.
 */
export function checkQuotedTestNames(file: string, text: string): MarkdownProblem[] {
  const here = path.dirname(path.join(REPO_ROOT, file));
  const doc = parse(text);
  const problems: MarkdownProblem[] = [];
  for (const block of blocksOf(doc.lines)) {
    const files = new Set(
      [...block.text.matchAll(/`([^`\s]+\.test\.ts)`/g)]
        .map((match) => match[1] ?? "")
        .map((span) => [REPO_ROOT, here].map((base) => path.join(base, span)).find(existsInRepo))
        .filter((found): found is string => found !== undefined),
    );
    const quoted = [...block.text.replace(/`[^`]*`/g, "").matchAll(/"([^"]+)"/g)].map(
      (match) => match[1] ?? "",
    );
    if (files.size !== 1 || quoted.length === 0) continue;
    const testFile = [...files][0] as string;
    const titles = testTitles(readFileSync(testFile, "utf8"));
    for (const name of quoted) {
      if (!titles.some((title) => title.test(name))) {
        problems.push({
          line: block.line,
          message: `test "${name}" is not in ${path.relative(REPO_ROOT, testFile)}`,
        });
      }
    }
  }
  return problems;
}

function* blocksOf(lines: readonly string[]): Generator<{ line: number; text: string }> {
  let start = 0;
  let text: string[] = [];
  const flush = function* () {
    if (text.length > 0) yield { line: start + 1, text: text.join(" ") };
    text = [];
  };
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "" || line.trimStart().startsWith("|")) {
      yield* flush();
      if (line.trimStart().startsWith("|")) yield { line: index + 1, text: line };
      continue;
    }
    if (text.length === 0) start = index;
    text.push(line.trim());
  }
  yield* flush();
}

/** Titles of `it`, `test` and `describe` calls: a string literal followed by a function. */
function testTitles(source: string): RegExp[] {
  const literal =
    /(["'`])((?:\\.|(?!\1)[^\\])*?)\1\s*,\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)/g;
  return [...source.matchAll(literal)].map((match) => {
    const title = (match[2] ?? "").replace(/\\(.)/g, "$1");
    const pattern = title
      .split(/(\$\{[^}]*\}|%[spdifjo#%]|\$[A-Za-z_][\w.]*)/)
      .map((part, index) => (index % 2 === 1 ? ".+" : escapeRegExp(part)))
      .join("");
    return new RegExp(`^${pattern}$`);
  });
}

/** The Markdown files these checks cover: the README, docs/, and every package README. */
export function markdownFiles(): string[] {
  const files = ["README.md"];
  const docs = path.join(REPO_ROOT, "docs");
  if (existsSync(docs)) {
    for (const entry of readdirSync(docs).sort()) {
      if (entry.endsWith(".md")) files.push(`docs/${entry}`);
    }
  }
  const skip = new Set([...ignoredNames(), "node_modules", ".git"]);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name === "README.md") files.push(rel);
    }
  };
  for (const dir of ["functions", "shared", "tests", "infra", "tools", "bicep"]) {
    if (existsSync(path.join(REPO_ROOT, dir))) walk(dir);
  }
  return files;
}
