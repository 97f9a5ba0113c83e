import { bicepObjectVariable, bicepStringLiteral, stripBicepComments } from "./bicepText";

describe("bicepObjectVariable", () => {
  const text = [
    "// leading comment",
    "var settings = {",
    "  plain: 'a'",
    "  // a comment with key: value",
    "  nested: {",
    "    inner: 1",
    "  }",
    "  'quoted-key': string(x)",
    "  withBrace: '}'",
    "}",
    "var other = { z: 1 }",
  ].join("\n");

  it("returns the top-level keys with their raw values", () => {
    const entries = bicepObjectVariable(text, "settings");
    expect([...entries.keys()]).toEqual(["plain", "nested", "quoted-key", "withBrace"]);
    expect(entries.get("plain")).toBe("'a'");
    expect(entries.get("quoted-key")).toBe("string(x)");
  });

  it("fails when the variable is absent", () => {
    expect(() => bicepObjectVariable(text, "missing")).toThrow("var missing");
  });
});

describe("bicepStringLiteral", () => {
  it("reads plain literals and rejects interpolation and expressions", () => {
    expect(bicepStringLiteral("'json'")).toBe("json");
    expect(bicepStringLiteral("'it\\'s'")).toBe("it's");
    expect(bicepStringLiteral("'${x}'")).toBeUndefined();
    expect(bicepStringLiteral("string(x)")).toBeUndefined();
  });
});

describe("stripBicepComments", () => {
  it("keeps comment markers inside strings", () => {
    expect(stripBicepComments("a: 'http://x' // c\n/* b */z")).toBe("a: 'http://x' \nz");
  });
});
