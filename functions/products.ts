import { app } from "@azure/functions";
import { apiHandlers } from "./apiHandlers";
import { runHttp } from "./httpBinding";

app.http("listProducts", {
  route: "products",
  methods: ["GET"],
  authLevel: "function",
  handler: (request) => runHttp(apiHandlers().listProducts, request),
});

app.http("getProduct", {
  route: "products/{sku}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request) => runHttp(apiHandlers().getProduct, request),
});
