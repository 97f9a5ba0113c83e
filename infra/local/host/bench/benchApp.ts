/** The app the host benchmark drives: one trivial HTTP function and one trivial Service Bus trigger. */
import { app } from "@azure/functions";

let drained = 0;

app.get("ping", { route: "ping", handler: () => ({ jsonBody: { ok: true } }) });

app.get("drained", { route: "drained", handler: () => ({ jsonBody: { drained } }) });

if (process.env.BENCH_SERVICEBUS === "true") {
  app.serviceBusQueue("drain", {
    connection: "BenchServiceBus",
    queueName: "bench",
    handler: () => {
      drained++;
    },
  });
}
