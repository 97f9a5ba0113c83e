/**
 * The Order API's functions alone (no saga, no workers): `npm run bench:api` loads this as
 * the host's entry (LOCAL_HOST_ENTRY) for its API-only figures, so the API's own cost is
 * measured apart from the saga work each accepted order triggers.
 */
import { app } from "@azure/functions";
import { apiSettings, closeApiServices } from "../../shared/composition/apiRoot";

apiSettings();

import "../../functions/orders";
import "../../functions/products";
import "../../functions/inventory";
import "../../functions/operations";
import "../../functions/outboxRelay";

app.hook.appTerminate(async () => {
  await closeApiServices();
});
