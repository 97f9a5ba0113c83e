import { duplicateJsonKey } from "./duplicateJsonKey";

describe("duplicateJsonKey", () => {
  it.each([
    ["at the top", '{"a":1,"b":2,"a":3}', "a"],
    [
      "in a nested object",
      '{"payment":{"token":"tok_decline","token":"tok_visa"}}',
      "payment.token",
    ],
    [
      "in an object inside an array",
      '{"items":[{"sku":"A"},{"sku":"B","sku":"C"}]}',
      "items[1].sku",
    ],
    ["deep down", '{"a":{"b":[[{"c":{"d":1,"d":2}}]]}}', "a.b[0][0].c.d"],
    ["spelled with an escape", '{"token":"x","\\u0074oken":"y"}', "token"],
    ["with a name that is not an identifier", '{"x":{"a b":1,"a b":2}}', 'x["a b"]'],
    ["with the empty name", '{"":1,"":2}', '[""]'],
  ])("finds a duplicate %s", (_where, text, path) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(duplicateJsonKey(text)).toBe(path);
  });

  it.each([
    ["distinct names", '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}'],
    ["the same name in sibling objects", '[{"sku":"A"},{"sku":"A"}]'],
    ["the same name in parent and child", '{"a":{"a":{"a":1}}}'],
    ["names that differ only in case", '{"Token":1,"token":2}'],
    ["a string holding a quoted name", '{"a":"\\"a\\":1"}'],
    ["scalars", '"text"'],
    ["an empty object", "{}"],
  ])("finds none with %s", (_case, text) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(duplicateJsonKey(text)).toBeUndefined();
  });

  it("reports the first duplicate in document order", () => {
    expect(duplicateJsonKey('{"a":{"x":1,"x":2},"b":1,"b":2}')).toBe("a.x");
  });
});
