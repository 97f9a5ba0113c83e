import { z } from "zod";
import { plainText, plainTextProblem } from "./plainText";

describe("plainTextProblem", () => {
  it.each([
    ["NUL", "a\u0000b", "control characters or line breaks (found U+0000)"],
    ["CR", "a\rb", "control characters or line breaks (found U+000D)"],
    ["LF", "a\nb", "control characters or line breaks (found U+000A)"],
    ["TAB", "a\tb", "control characters or line breaks (found U+0009)"],
    ["ESC", "a\u001bb", "control characters or line breaks (found U+001B)"],
    ["DEL", "a\u007fb", "control characters or line breaks (found U+007F)"],
    ["a C1 control", "a\u0085b", "control characters or line breaks (found U+0085)"],
    ["LINE SEPARATOR", "a\u2028b", "control characters or line breaks (found U+2028)"],
    ["RLO", "a\u202eb", "bidirectional formatting characters (found U+202E)"],
    ["RLI", "a\u2067b", "bidirectional formatting characters (found U+2067)"],
    ["RLM", "a\u200fb", "bidirectional formatting characters (found U+200F)"],
    ["ALM", "a\u061cb", "bidirectional formatting characters (found U+061C)"],
    ["a lone high surrogate", "a\ud800b", "unpaired surrogates (found U+D800)"],
    ["a lone low surrogate", "a\udc00", "unpaired surrogates (found U+DC00)"],
  ])("refuses %s", (_name, value, message) => {
    expect(plainTextProblem(value)).toBe(`must not contain ${message}`);
  });

  it.each([
    ["accents", "Zoë Ångström"],
    ["right-to-left script", "שלום עליכם"],
    ["an emoji (a surrogate pair)", "Flat 3 \u{1F3E0}"],
    ["CJK", "東京都千代田区"],
    ["punctuation", "12 St James's Sq, #4-B"],
  ])("accepts %s", (_name, value) => {
    expect(plainTextProblem(value)).toBeUndefined();
  });
});

describe("plainText", () => {
  const schema = z.object({ line1: plainText(z.string().trim().min(1).max(20)) });

  it("adds the rule to a schema's own bounds, naming the field", () => {
    const result = schema.safeParse({ line1: "1 Main\u0000St" });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["line1"],
        message: "must not contain control characters or line breaks (found U+0000)",
      }),
    ]);
    expect(schema.safeParse({ line1: "x".repeat(21) }).success).toBe(false);
  });

  it("keeps the schema's trimming", () => {
    expect(schema.parse({ line1: "  1 Main St " })).toEqual({ line1: "1 Main St" });
  });
});
