import { app } from "@azure/functions";
import { apiHandlers } from "./apiHandlers";
import { runHttp } from "./httpBinding";

app.http("listProducts", {
  route: "products",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlers(context).listProducts, request, context),
});

app.http("getProduct", {
  route: "products/{sku}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlers(context).getProduct, request, context),
});
