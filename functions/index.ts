/**
 * The app entry (package.json `main`). Importing a file registers its functions through
 * `@azure/functions` / `durable-functions`, exactly as Azure loads them; the local host
 * captures the same registrations. Settings are validated here, first, so a bad setting
 * stops start-up with the error naming it.
 */
import { app } from "@azure/functions";
import { apiSettings, closeApiServices } from "../shared/composition/apiRoot";

apiSettings();

import "./orders";
import "./products";
import "./inventory";
import "./operations";
import "./outboxRelay";
import "./saga";
import "./workers";
import "./live";

app.hook.appTerminate(async () => {
  await closeApiServices();
});
