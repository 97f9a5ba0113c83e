import { app } from "@azure/functions";
import { apiHandlersFor } from "./apiHandlersFor";
import { runHttp } from "./httpBinding";

app.http("listProducts", {
  route: "products",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlersFor(context).listProducts, request, context),
});

app.http("getProduct", {
  route: "products/{sku}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlersFor(context).getProduct, request, context),
});
