/**
 * The subset of Service Bus SQL filter syntax this emulator evaluates: comparisons
 * (= <> != < > <= >=), AND / OR / NOT with SQL three-valued logic, IN / NOT IN, IS [NOT] NULL,
 * EXISTS(name), [NOT] LIKE with % and _ (and ESCAPE), + - * / % arithmetic, string / number /
 * TRUE / FALSE / NULL literals, and names that are application properties (`type`,
 * `user.type`, `[odd name]`) or system properties (`sys.Label`, `sys.MessageId`, ...).
 * Anything else is a parse error at start-up, never a silently different filter.
 */

export type SqlValue = string | number | boolean | null;

/** Looks a name up in the message: scope "sys" for system properties, "user" for application ones. */
export type PropertyLookup = (scope: "sys" | "user", name: string) => SqlValue | undefined;

export type SqlPredicate = (lookup: PropertyLookup) => boolean;

export type Token =
  | { kind: "num"; value: number; pos: number }
  | { kind: "str"; value: string; pos: number }
  | { kind: "id"; value: string; pos: number }
  | { kind: "op"; value: string; pos: number }
  | { kind: "end"; pos: number };

const KEYWORDS = new Set([
  "AND",
  "OR",
  "NOT",
  "IN",
  "IS",
  "NULL",
  "TRUE",
  "FALSE",
  "LIKE",
  "ESCAPE",
  "EXISTS",
]);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|^[0-9]+\.?/.exec(
        text.slice(i),
      ) as RegExpExecArray;
      tokens.push({ kind: "num", value: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (c === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new Error(`unterminated string at ${i}`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: "str", value, pos: i });
      i = j + 1;
    } else if (c === "[") {
      const end = text.indexOf("]", i);
      if (end < 0) throw new Error(`unterminated [name] at ${i}`);
      tokens.push({ kind: "id", value: text.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if (/[A-Za-z_@$]/.test(c)) {
      const m = /^[A-Za-z_@$][A-Za-z0-9_@$]*(?:\.[A-Za-z_@$[][A-Za-z0-9_@$\]-]*)?/.exec(
        text.slice(i),
      ) as RegExpExecArray;
      const word = m[0];
      const upper = word.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ kind: "op", value: upper, pos: i });
      else tokens.push({ kind: "id", value: word.replace(/\.\[(.*)\]$/, ".$1"), pos: i });
      i += word.length;
    } else {
      const two = text.slice(i, i + 2);
      if (two === "<>" || two === "!=" || two === "<=" || two === ">=") {
        tokens.push({ kind: "op", value: two === "!=" ? "<>" : two, pos: i });
        i += 2;
      } else if ("=<>(),+-*/%".includes(c)) {
        tokens.push({ kind: "op", value: c, pos: i });
        i++;
      } else {
        throw new Error(`unexpected character '${c}' at ${i}`);
      }
    }
  }
  tokens.push({ kind: "end", pos: text.length });
  return tokens;
}

/** An evaluated expression: undefined stands for SQL's unknown (a missing property or NULL). */
export type Expr = (lookup: PropertyLookup) => SqlValue | undefined;

function isNull(v: SqlValue | undefined): v is null | undefined {
  return v === null || v === undefined;
}

function compare(op: string, a: SqlValue | undefined, b: SqlValue | undefined): boolean | null {
  if (isNull(a) || isNull(b)) return null;
  if (typeof a !== typeof b) {
    // Service Bus promotes between numeric types only; other mixes are never equal.
    return op === "<>" ? true : op === "=" ? false : null;
  }
  switch (op) {
    case "=":
      return a === b;
    case "<>":
      return a !== b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

function likeToRegExp(pattern: string, escape: string | undefined): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (escape !== undefined && c === escape && i + 1 < pattern.length) {
      re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(re + "$");
}

export class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    return this.tokens[this.i++] as Token;
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.value === value;
  }
  private eat(value: string): boolean {
    if (this.isOp(value)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(value: string): void {
    if (!this.eat(value)) this.fail(`expected ${value}`);
  }
  private fail(message: string): never {
    const t = this.peek();
    const got = t.kind === "end" ? "end of expression" : `'${String(t.value)}'`;
    throw new Error(`${message} at ${t.pos}, found ${got}`);
  }

  parseAll(): Expr {
    const e = this.or();
    if (this.peek().kind !== "end") this.fail("unexpected token");
    return e;
  }

  private or(): Expr {
    let left = this.and();
    while (this.eat("OR")) {
      const l = left;
      const r = this.and();
      left = (x) => {
        const a = l(x);
        if (a === true) return true;
        const b = r(x);
        if (b === true) return true;
        return a === false && b === false ? false : null;
      };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.eat("AND")) {
      const l = left;
      const r = this.not();
      left = (x) => {
        const a = l(x);
        if (a === false) return false;
        const b = r(x);
        if (b === false) return false;
        return a === true && b === true ? true : null;
      };
    }
    return left;
  }

  private not(): Expr {
    if (this.eat("NOT")) {
      const inner = this.not();
      return (x) => {
        const v = inner(x);
        return typeof v === "boolean" ? !v : null;
      };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    if (this.eat("EXISTS")) {
      const paren = this.eat("(");
      const t = this.next();
      if (t.kind !== "id") this.fail("expected a property name after EXISTS");
      if (paren) this.expect(")");
      const [scope, name] = splitName(t.value);
      return (x) => x(scope, name) !== undefined;
    }
    const left = this.additive();
    const t = this.peek();
    if (t.kind === "op" && ["=", "<>", "<", ">", "<=", ">="].includes(t.value)) {
      this.i++;
      const right = this.additive();
      return (x) => compare(t.value, left(x), right(x));
    }
    if (this.eat("IS")) {
      const negate = this.eat("NOT");
      this.expect("NULL");
      return (x) => isNull(left(x)) !== negate;
    }
    const negate = this.eat("NOT");
    if (this.eat("IN")) {
      this.expect("(");
      const items: Expr[] = [this.additive()];
      while (this.eat(",")) items.push(this.additive());
      this.expect(")");
      return (x) => {
        const v = left(x);
        if (isNull(v)) return null;
        let unknown = false;
        for (const item of items) {
          const r = compare("=", v, item(x));
          if (r === true) return !negate;
          if (r === null) unknown = true;
        }
        return unknown ? null : negate;
      };
    }
    if (this.eat("LIKE")) {
      const p = this.next();
      if (p.kind !== "str") this.fail("expected a string pattern after LIKE");
      let escape: string | undefined;
      if (this.eat("ESCAPE")) {
        const e = this.next();
        if (e.kind !== "str" || e.value.length !== 1) this.fail("expected one-character ESCAPE");
        escape = e.value;
      }
      const re = likeToRegExp(p.value, escape);
      return (x) => {
        const v = left(x);
        if (typeof v !== "string") return null;
        return re.test(v) !== negate;
      };
    }
    if (negate) this.fail("expected IN or LIKE after NOT");
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op" || (t.value !== "+" && t.value !== "-")) return left;
      this.i++;
      left = arithmetic(t.value, left, this.multiplicative());
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op" || !["*", "/", "%"].includes(t.value)) return left;
      this.i++;
      left = arithmetic(t.value, left, this.unary());
    }
  }

  private unary(): Expr {
    if (this.eat("-")) {
      const inner = this.unary();
      return (x) => {
        const v = inner(x);
        return typeof v === "number" ? -v : null;
      };
    }
    if (this.eat("+")) return this.unary();
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case "num":
      case "str": {
        const v = t.value;
        return () => v;
      }
      case "id": {
        const [scope, name] = splitName(t.value);
        return (x) => x(scope, name);
      }
      case "op":
        if (t.value === "(") {
          const e = this.or();
          this.expect(")");
          return e;
        }
        if (t.value === "TRUE") return () => true;
        if (t.value === "FALSE") return () => false;
        if (t.value === "NULL") return () => null;
        break;
      case "end":
        break;
    }
    this.i--;
    return this.fail("expected a value");
  }
}

function arithmetic(op: string, l: Expr, r: Expr): Expr {
  return (x) => {
    const a = l(x);
    const b = r(x);
    if (op === "+" && typeof a === "string" && typeof b === "string") return a + b;
    if (typeof a !== "number" || typeof b !== "number") return null;
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        return b === 0 ? null : a / b;
      default:
        return b === 0 ? null : a % b;
    }
  };
}

function splitName(raw: string): ["sys" | "user", string] {
  const dot = raw.indexOf(".");
  if (dot > 0) {
    const prefix = raw.slice(0, dot).toLowerCase();
    if (prefix === "sys" || prefix === "user") return [prefix, raw.slice(dot + 1)];
  }
  return ["user", raw];
}

/** Parses a SQL filter expression; throws an Error naming the position of the first problem. */
export function parseSqlFilter(text: string): SqlPredicate {
  const expr = new Parser(tokenize(text)).parseAll();
  return (lookup) => expr(lookup) === true;
}
