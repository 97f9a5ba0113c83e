import { z } from "zod";
import { DomainError } from "./domainError";

/**
 * Money is an integer count of the currency's minor unit (cents for USD) plus its ISO 4217
 * code. Floats never appear: 0.1 + 0.2 is not 0.3, and a price must add up exactly.
 * Amounts are non-negative; a refund is a positive amount moved the other way, not a
 * negative Money.
 */
export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code: three upper-case letters");
export type CurrencyCode = z.infer<typeof CurrencyCodeSchema>;

export const MoneySchema = z.object({
  amount: z
    .number()
    .int("must be an integer number of minor units")
    .min(0, "must not be negative")
    .max(Number.MAX_SAFE_INTEGER, "must be a safe integer"),
  currency: CurrencyCodeSchema,
});
export type Money = z.infer<typeof MoneySchema>;

export class InvalidMoneyError extends DomainError {
  readonly code = "InvalidMoney" as const;
  constructor(message: string) {
    super(message);
  }
}

export class CurrencyMismatchError extends DomainError {
  readonly code = "CurrencyMismatch" as const;
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`cannot combine ${expected} with ${actual}`);
  }
}

function checkAmount(amount: number): number {
  // Number.isSafeInteger rejects NaN, Infinity, fractions and anything past 2^53 - 1,
  // where integer arithmetic silently stops being exact.
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new InvalidMoneyError(
      `amount must be a non-negative safe integer of minor units, got ${amount}`,
    );
  }
  return amount;
}

/** Builds a Money, checking both the amount and the currency code. */
export function money(amount: number, currency: string): Money {
  if (!CurrencyCodeSchema.safeParse(currency).success) {
    throw new InvalidMoneyError(
      `currency must be an ISO 4217 code, got ${JSON.stringify(currency)}`,
    );
  }
  return { amount: checkAmount(amount), currency };
}

/** The zero amount of a currency: the identity of {@link addMoney}. */
export function zeroMoney(currency: string): Money {
  return money(0, currency);
}

/** a + b; both must be in the same currency. */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return money(checkAmount(a.amount) + checkAmount(b.amount), a.currency);
}

/** price × quantity, for a line total; quantity is a non-negative integer. */
export function multiplyMoney(price: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new InvalidMoneyError(`quantity must be a non-negative integer, got ${quantity}`);
  }
  return money(checkAmount(price.amount) * quantity, price.currency);
}

/** Sum of many amounts in one currency; the currency is needed for the empty sum. */
export function sumMoney(currency: string, amounts: readonly Money[]): Money {
  return amounts.reduce<Money>((total, next) => addMoney(total, next), zeroMoney(currency));
}

/** Value equality: same currency and same amount. */
export function moneyEquals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amount === b.amount;
}
