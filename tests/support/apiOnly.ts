/**
 * Settings that run the Order API alone: every function that carries an accepted order
 * forward is disabled with Azure's own `AzureWebJobs.<name>.Disabled` setting, which the
 * local host honours as Azure does. Tests of the API's own behaviour (paging, health with a
 * dead Service Bus) and `npm run bench:api` use it, so saga work does not blur the figures.
 */
import { MESSAGE_FUNCTIONS } from "../../shared/config/names";
import { ORDER_SAGA, SAGA_ACTIVITIES } from "../../shared/saga/names";

export const ORDER_FLOW_FUNCTIONS: readonly string[] = [
  ...Object.values(MESSAGE_FUNCTIONS),
  ORDER_SAGA,
  ...Object.values(SAGA_ACTIVITIES),
];

export function apiOnlySettings(): Record<string, string> {
  return Object.fromEntries(
    ORDER_FLOW_FUNCTIONS.map((name) => [`AzureWebJobs.${name}.Disabled`, "true"]),
  );
}
