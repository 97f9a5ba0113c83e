import { app } from "@azure/functions";
import { apiHandlersFor } from "./apiHandlersFor";

/** Every 30 s: publishes outbox entries the API could not publish when it wrote them. */
app.timer("outboxRelay", {
  schedule: "*/30 * * * * *",
  handler: async (_timer, context) => {
    const result = await apiHandlersFor(context).outboxRelay();
    if (result.published > 0 || result.failed > 0)
      context.log(`outbox relay ${JSON.stringify(result)}`);
  },
});
