import { isRepeatedHeaderValue } from "../../contracts";
import type { ApiRequest } from "./apiTypes";
import { fieldProblem } from "./problems";

/**
 * A header that carries one value (SINGLE_VALUE_HEADERS), or null when absent; 400 naming
 * the header when it arrived more than once. Both hosts hand the app one string per name,
 * with a repeated header's values joined by commas, so the comma is what is left to see
 * (docs/http-api.md "Repeated headers").
 */
export function singleHeader(request: ApiRequest, name: string): string | null {
  const value = request.headers.get(name);
  if (value !== null && isRepeatedHeaderValue(name, value)) {
    throw fieldProblem(
      name,
      "must be sent once (it arrived repeated, joined by commas)",
      "headers",
    );
  }
  return value;
}
