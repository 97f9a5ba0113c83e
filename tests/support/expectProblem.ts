/** The shape every error answer of the API has (docs/http-api.md): problem+json. */
import { PROBLEM_CONTENT_TYPE } from "../../shared/contracts/http/problemDetails";
import type { ApiResponse } from "./apiClient";

export function expectProblem(result: ApiResponse, status: number): void {
  expect(result.status).toBe(status);
  expect(result.contentType).toContain(PROBLEM_CONTENT_TYPE);
  expect(result.json).toMatchObject({
    status,
    title: expect.any(String),
    type: expect.any(String),
  });
}
