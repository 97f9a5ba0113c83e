import type { Message } from "rhea";
import { Parser, tokenize, type PropertyLookup, type SqlValue } from "./sqlFilter";

/** Changes a rule action makes to the copy of a message a subscription receives. */
export type SqlAction = (message: Message, lookup: PropertyLookup) => Message;

/** System properties an action may SET, by lower-cased SQL name, and their AMQP field. */
const WRITABLE_SYSTEM: Record<string, keyof Message> = {
  messageid: "message_id",
  correlationid: "correlation_id",
  to: "to",
  replyto: "reply_to",
  label: "subject",
  subject: "subject",
  contenttype: "content_type",
  sessionid: "group_id",
  replytosessionid: "reply_to_group_id",
};

type Statement =
  | { kind: "set"; scope: "sys" | "user"; name: string; value: ReturnType<Parser["parseAll"]> }
  | { kind: "remove"; name: string };

/** Splits on `;` outside string literals and [bracketed names]. */
function statements(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'") quote = "'";
    else if (c === "[") quote = "]";
    else if (c === ";") {
      out.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== "");
}

function target(raw: string): { scope: "sys" | "user"; name: string } {
  const dot = raw.indexOf(".");
  const prefix = dot > 0 ? raw.slice(0, dot).toLowerCase() : "";
  if (prefix === "sys") {
    const name = raw.slice(dot + 1);
    if (!(name.toLowerCase() in WRITABLE_SYSTEM)) {
      throw new Error(`SET of system property sys.${name} is not supported`);
    }
    return { scope: "sys", name };
  }
  return { scope: "user", name: prefix === "user" ? raw.slice(dot + 1) : raw };
}

function parseStatement(text: string): Statement {
  const tokens = tokenize(text);
  const [verb, name, eq] = tokens;
  const keyword = verb?.kind === "id" ? verb.value.toUpperCase() : "";
  if (name?.kind !== "id")
    throw new Error(`expected SET or REMOVE and a property name in "${text}"`);
  if (keyword === "REMOVE") {
    if (tokens.length !== 3) throw new Error(`unexpected text after REMOVE ${name.value}`);
    const t = target(name.value);
    if (t.scope === "sys") throw new Error("REMOVE of system properties is not supported");
    return { kind: "remove", name: t.name };
  }
  if (keyword !== "SET" || eq?.kind !== "op" || eq.value !== "=") {
    throw new Error(`supported actions are SET name = expression and REMOVE name; got "${text}"`);
  }
  return { kind: "set", ...target(name.value), value: new Parser(tokens.slice(3)).parseAll() };
}

/**
 * Parses the SET / REMOVE subset of Service Bus SQL rule actions (`SET a = 'x'; REMOVE b`),
 * with the filter grammar's expressions on the right of `=`. Anything else throws, so a rule
 * the emulator cannot apply is refused when it is added, never applied differently.
 */
export function parseSqlAction(text: string): SqlAction {
  const parsed = statements(text).map(parseStatement);
  if (parsed.length === 0) throw new Error("empty rule action");
  return (message, lookup) => {
    const props: Record<string, unknown> = { ...(message.application_properties ?? {}) };
    const out: Message = { ...message };
    for (const s of parsed) {
      if (s.kind === "remove") {
        delete props[s.name];
        continue;
      }
      const value: SqlValue | undefined = s.value(lookup);
      if (s.scope === "user") props[s.name] = value ?? null;
      else
        (out as unknown as Record<string, unknown>)[
          WRITABLE_SYSTEM[s.name.toLowerCase()] as string
        ] = value;
    }
    out.application_properties = props;
    return out;
  };
}
