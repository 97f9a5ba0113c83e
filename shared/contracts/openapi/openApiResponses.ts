import type { ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  CustomerIdSchema,
  HEADERS,
  IdempotencyKeySchema,
  PROBLEM_CONTENT_TYPE,
  ProblemDetailsSchema,
} from "../http";

/** The pieces the routes share: response shapes, identity headers, the common problems. */
export const problem = (description: string): ResponseConfig => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemDetailsSchema } },
});

export const json = (description: string, schema: z.ZodType): ResponseConfig => ({
  description,
  content: { "application/json": { schema } },
});

const idempotencyKeyHeader = IdempotencyKeySchema.meta({
  description:
    "Makes the request safe to retry: the same key with the same body returns the first answer; with another body, 409.",
});
const customerIdHeader = CustomerIdSchema.meta({
  description: "The caller. Set by API Management from the token subject; locally by the caller.",
});
const rolesHeader = z.string().meta({
  description: 'Comma-separated app roles, set by API Management; "admin" marks an operator.',
});

export const CustomerHeadersSchema = z.object({
  [HEADERS.customerId]: customerIdHeader,
  [HEADERS.roles]: rolesHeader.optional(),
});
export const AdminHeadersSchema = z.object({
  [HEADERS.customerId]: customerIdHeader.optional(),
  [HEADERS.roles]: rolesHeader,
});
export const CreateOrderHeadersSchema = z.object({
  [HEADERS.idempotencyKey]: idempotencyKeyHeader.optional(),
  [HEADERS.customerId]: customerIdHeader,
});

export const badRequest = problem(
  "Validation failed: malformed JSON, unknown or invalid fields (see `errors`).",
);
export const unauthorized = problem(`No ${HEADERS.customerId} header.`);
export const forbidden = problem("The caller lacks the admin role.");
export const orderNotFound = problem("No such order, or it belongs to another customer.");
export const unsupportedMediaType = problem("The body is not application/json.");
export const tooLarge = problem("The body is larger than 64 KiB.");
