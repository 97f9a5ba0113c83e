import {
  CurrencyMismatchError,
  InvalidMoneyError,
  MoneySchema,
  addMoney,
  money,
  moneyEquals,
  multiplyMoney,
  sumMoney,
  zeroMoney,
} from "./money";
import { aMoney } from "./testing/orderBuilders";

describe("money", () => {
  it("builds integer minor units with a currency", () => {
    expect(money(1299, "USD")).toEqual({ amount: 1299, currency: "USD" });
  });

  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    "refuses amount %p",
    (amount) => {
      expect(() => money(amount, "USD")).toThrow(InvalidMoneyError);
    },
  );

  it.each(["usd", "US", "USDX", "", "1SD"])("refuses currency %p", (currency) => {
    expect(() => money(1, currency)).toThrow(expect.objectContaining({ code: "InvalidMoney" }));
  });
});

describe("addMoney", () => {
  it("adds amounts of one currency", () => {
    expect(addMoney(aMoney({ amount: 100 }), aMoney({ amount: 23 }))).toEqual(
      aMoney({ amount: 123 }),
    );
  });

  it("refuses to mix currencies with a typed error", () => {
    const mixing = () => addMoney(aMoney({ currency: "USD" }), aMoney({ currency: "EUR" }));
    expect(mixing).toThrow(CurrencyMismatchError);
    expect(mixing).toThrow(
      expect.objectContaining({ code: "CurrencyMismatch", expected: "USD", actual: "EUR" }),
    );
  });

  it("refuses a sum past the safe integer range", () => {
    const big = aMoney({ amount: Number.MAX_SAFE_INTEGER });
    expect(() => addMoney(big, aMoney({ amount: 1 }))).toThrow(InvalidMoneyError);
  });

  it("refuses an operand that was not built through money()", () => {
    expect(() => addMoney({ amount: 0.1, currency: "USD" }, aMoney())).toThrow(InvalidMoneyError);
  });
});

describe("multiplyMoney", () => {
  it("multiplies by an integer quantity", () => {
    expect(multiplyMoney(aMoney({ amount: 1299 }), 2)).toEqual(aMoney({ amount: 2598 }));
    expect(multiplyMoney(aMoney({ amount: 1299 }), 0)).toEqual(aMoney({ amount: 0 }));
  });

  it.each([1.5, -1, Number.NaN])("refuses quantity %p", (quantity) => {
    expect(() => multiplyMoney(aMoney(), quantity)).toThrow(InvalidMoneyError);
  });

  it("refuses a product past the safe integer range", () => {
    expect(() => multiplyMoney(aMoney({ amount: Number.MAX_SAFE_INTEGER }), 2)).toThrow(
      InvalidMoneyError,
    );
  });
});

describe("sumMoney, zeroMoney, moneyEquals", () => {
  it("sums a list and gives zero for an empty one", () => {
    expect(sumMoney("USD", [aMoney({ amount: 1 }), aMoney({ amount: 2 })])).toEqual(
      aMoney({ amount: 3 }),
    );
    expect(sumMoney("EUR", [])).toEqual(zeroMoney("EUR"));
  });

  it("refuses a list in another currency than the sum's", () => {
    expect(() => sumMoney("EUR", [aMoney({ currency: "USD" })])).toThrow(CurrencyMismatchError);
  });

  it("compares by currency and amount", () => {
    expect(moneyEquals(aMoney(), aMoney())).toBe(true);
    expect(moneyEquals(aMoney(), aMoney({ currency: "EUR" }))).toBe(false);
    expect(moneyEquals(aMoney(), aMoney({ amount: 1 }))).toBe(false);
  });
});

describe("MoneySchema", () => {
  it("accepts a valid money", () => {
    expect(MoneySchema.parse(aMoney())).toEqual(aMoney());
  });

  it.each([
    [{ amount: 1.5, currency: "USD" }, "amount"],
    [{ amount: -1, currency: "USD" }, "amount"],
    [{ amount: 1, currency: "usd" }, "currency"],
  ])("rejects %p at %s", (value, path) => {
    const result = MoneySchema.safeParse(value);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual([path]);
  });
});
