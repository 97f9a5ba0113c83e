import { parseSqlFilter, type PropertyLookup, type SqlValue } from "./sqlFilter";

function lookup(
  user: Record<string, SqlValue>,
  sys: Record<string, SqlValue> = {},
): PropertyLookup {
  return (scope, name) => (scope === "sys" ? sys[name] : user[name]);
}

describe("parseSqlFilter", () => {
  const props = lookup(
    { type: "OrderPlaced", amount: 150, region: "eu", ok: true, "odd name": "x" },
    { Label: "L" },
  );

  it.each([
    ["type = 'OrderPlaced'", true],
    ["type <> 'OrderPlaced'", false],
    ["type != 'Other'", true],
    ["amount > 100 AND amount < 200", true],
    ["amount >= 150 AND amount <= 150", true],
    ["amount < 100 OR region = 'eu'", true],
    ["NOT (amount > 100)", false],
    ["region IN ('us', 'eu')", true],
    ["region NOT IN ('us', 'eu')", false],
    ["missing IS NULL", true],
    ["region IS NOT NULL", true],
    ["EXISTS(region)", true],
    ["EXISTS(missing)", false],
    ["type LIKE 'Order%'", true],
    ["type LIKE 'Order_laced'", true],
    ["type NOT LIKE '%Placed'", false],
    ["user.type = 'OrderPlaced'", true],
    ["sys.Label = 'L'", true],
    ["[odd name] = 'x'", true],
    ["ok = TRUE", true],
    ["amount * 2 = 300 AND amount - 50 = 100", true],
    ["1 = 1", true],
    ["1 = 0", false],
    ["missing = 1", false],
    ["NOT (missing = 1)", false],
    ["missing = 1 OR amount = 150", true],
    ["amount = '150'", false],
    ["'it''s' = 'it''s'", true],
  ])("%s -> %s", (expr, expected) => {
    expect(parseSqlFilter(expr)(props)).toBe(expected);
  });

  it.each(["type =", "type = 'x", "amount > > 1", "(a = 1", "a IN 1", "a ~ 1", "EXISTS 'x'"])(
    "rejects %s",
    (expr) => {
      expect(() => parseSqlFilter(expr)).toThrow(/at \d+/);
    },
  );
});
