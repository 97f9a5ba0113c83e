import type { z } from "zod";

/**
 * Characters no free-text field (a shipping address, a payment token) may hold, each class
 * with the phrase a client reads in `errors[].message`. They are refused, not stripped: an
 * address printed on a label, shown in an operator's console or passed to a carrier must
 * read as what the customer saw (docs/http-api.md "Text").
 */
const UNSAFE_CLASSES: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  // C0 and C1 controls: NUL, TAB, CR, LF, ESC, DEL, ...
  { pattern: /\p{Cc}/u, what: "control characters or line breaks" },
  // LINE SEPARATOR and PARAGRAPH SEPARATOR break lines as CR/LF do.
  { pattern: /[\u2028\u2029]/u, what: "control characters or line breaks" },
  // The explicit directional formatting characters of Unicode UAX #9 (ALM, LRM, RLM, the
  // embeddings and overrides, the isolates): they make text display in another order than
  // it is stored ("Trojan Source", CVE-2021-42574).
  {
    pattern: /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u,
    what: "bidirectional formatting characters",
  },
  // With the u flag a well-formed pair is one code point; only an unpaired half matches.
  { pattern: /\p{Cs}/u, what: "unpaired surrogates" },
];

/** Why `value` is not plain text ("must not contain …"), or undefined when it is. */
export function plainTextProblem(value: string): string | undefined {
  for (const { pattern, what } of UNSAFE_CLASSES) {
    const found = pattern.exec(value);
    if (found !== null) {
      const code = found[0].codePointAt(0) ?? 0;
      return `must not contain ${what} (found U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
    }
  }
  return undefined;
}

/** `schema` refusing what {@link plainTextProblem} names, with that message. */
export function plainText<S extends z.ZodString>(schema: S): S {
  return schema.check((context) => {
    const message = plainTextProblem(context.value);
    if (message !== undefined) {
      context.issues.push({ code: "custom", message, input: context.value });
    }
  });
}
