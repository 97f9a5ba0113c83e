import { app } from "@azure/functions";
import { apiHandlersFor } from "./apiHandlersFor";
import { runHttp } from "./httpBinding";

app.http("setInventory", {
  route: "inventory/{sku}",
  methods: ["PUT"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlersFor(context).setInventory, request, context),
});
