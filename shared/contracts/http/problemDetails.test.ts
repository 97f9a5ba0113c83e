import { z } from "zod";
import { ProblemDetailsSchema, problemDetails } from "./problemDetails";
import { fieldErrors, formatIssuePath, invalidFieldsDetail, zodErrorToProblem } from "./zodProblem";
import { PageLimitSchema } from "./common";
import { ORDER_STATUSES, OrderStatusSchema } from "../../domain";
import { CreateOrderRequestSchema } from "./orders";
import { aCreateOrderRequest, anItem } from "../testing/httpBuilders";

describe("ProblemDetailsSchema", () => {
  it("accepts an RFC 9457 body with field errors", () => {
    const body = problemDetails({ title: "Not found", status: 404, detail: "no such order" });
    expect(ProblemDetailsSchema.parse(body)).toEqual({ ...body, type: "about:blank" });
  });

  it.each([
    ["status", { type: "about:blank", title: "x", status: 200 }],
    ["title", { type: "about:blank", status: 400 }],
    ["errors.0.path", { type: "about:blank", title: "x", status: 400, errors: [{ message: "m" }] }],
  ])("rejects a bad %s", (path, body) => {
    const result = ProblemDetailsSchema.safeParse(body);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual([path]);
  });
});

describe("formatIssuePath", () => {
  it.each<[PropertyKey[], string]>([
    [["items", 0, "quantity"], "items[0].quantity"],
    [["shippingAddress", "postalCode"], "shippingAddress.postalCode"],
    [[0], "[0]"],
    [["checks", "my check"], 'checks["my check"]'],
    [[], ""],
  ])("%p → %p", (path, text) => {
    expect(formatIssuePath(path)).toBe(text);
  });
});

describe("zodErrorToProblem", () => {
  function errorOf(body: unknown): z.ZodError {
    const result = CreateOrderRequestSchema.safeParse(body);
    if (result.success) throw new Error("expected the body to be invalid");
    return result.error;
  }

  it("lists each bad field with its message and names them in detail", () => {
    const problem = zodErrorToProblem(
      errorOf(aCreateOrderRequest({ email: "x", items: [anItem({ quantity: 0 })] })),
    );
    expect(problem).toMatchObject({
      type: "/problems/validation-error",
      title: "Invalid request body",
      status: 400,
      detail: "The request body has invalid fields: email, items[0].quantity.",
    });
    expect(problem.errors).toEqual([
      { path: "email", message: "must be an email address" },
      { path: "items[0].quantity", message: "must be at least 1" },
    ]);
    expect(ProblemDetailsSchema.safeParse(problem).success).toBe(true);
  });

  it("names every unknown field", () => {
    const problem = zodErrorToProblem(
      errorOf({ ...aCreateOrderRequest(), coupon: "X", items: [{ ...anItem(), price: 1 }] }),
    );
    expect(problem.errors).toEqual([
      { path: "items[0].price", message: "is not a known field" },
      { path: "coupon", message: "is not a known field" },
    ]);
  });

  it("uses the subject, status and instance it is given", () => {
    const error = z.object({ limit: z.number() }).safeParse({}).error as z.ZodError;
    expect(
      zodErrorToProblem(error, { subject: "query", status: 422, instance: "/api/orders" }),
    ).toMatchObject({
      title: "Invalid query",
      status: 422,
      instance: "/api/orders",
      detail: "The query has invalid fields: limit.",
    });
  });

  it("describes a wrong value as a whole", () => {
    const error = CreateOrderRequestSchema.safeParse([]).error as z.ZodError;
    expect(fieldErrors(error)).toEqual([{ path: "", message: "must be an object" }]);
    expect(zodErrorToProblem(error).detail).toBe("The request body must be an object.");
  });

  it("uses the plural verb for headers", () => {
    expect(
      invalidFieldsDetail("headers", [{ path: "Idempotency-Key", message: "is required" }]),
    ).toBe("The headers have invalid fields: Idempotency-Key.");
  });

  it("reads a whole-body error as one sentence", () => {
    expect(invalidFieldsDetail("request body", [{ path: "", message: "is not valid JSON" }])).toBe(
      "The request body is not valid JSON.",
    );
  });
});

describe("friendly field messages", () => {
  it.each<[string, z.ZodType, unknown, string]>([
    [
      "limit=abc",
      z.object({ limit: PageLimitSchema }),
      { limit: "abc" },
      "must be a whole number from 1 to 100",
    ],
    [
      "limit=1.5",
      z.object({ limit: PageLimitSchema }),
      { limit: "1.5" },
      "must be a whole number from 1 to 100",
    ],
    [
      'quantity "2"',
      CreateOrderRequestSchema,
      aCreateOrderRequest({ items: [anItem({ quantity: "2" as unknown as number })] }),
      "must be a whole number from 1 to 100",
    ],
    [
      "an unknown status",
      z.object({ status: OrderStatusSchema }),
      { status: "Lost" },
      `must be one of: ${ORDER_STATUSES.join(", ")}`,
    ],
    ["a missing field", z.object({ name: z.string() }), {}, "is required"],
    ["a wrong type", z.object({ name: z.string() }), { name: 1 }, "must be text"],
  ])("%s", (_, schema, value, message) => {
    const error = schema.safeParse(value).error as z.ZodError;
    expect(fieldErrors(error).map((entry) => entry.message)).toEqual([message]);
  });
});
