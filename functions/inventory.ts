import { app } from "@azure/functions";
import { apiHandlers } from "./apiHandlers";
import { runHttp } from "./httpBinding";

app.http("setInventory", {
  route: "inventory/{sku}",
  methods: ["PUT"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlers(context).setInventory, request, context),
});
