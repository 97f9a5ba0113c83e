import { app } from "@azure/functions";
import * as df from "durable-functions";
import { apiHandlers } from "./apiHandlers";
import { runHttp, sagaControlOf } from "./httpBinding";

app.http("placeOrder", {
  route: "orders",
  methods: ["POST"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlers(context).placeOrder, request, context),
});

app.http("listOrders", {
  route: "orders",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlers(context).listOrders, request, context),
});

app.http("getOrder", {
  route: "orders/{orderId}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlers(context).getOrder, request, context),
});

app.http("cancelOrder", {
  route: "orders/{orderId}/cancel",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlers(context).cancelOrder(sagaControlOf(context)), request, context),
});

app.http("shipOrder", {
  route: "orders/{orderId}/ship",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlers(context).shipOrder(sagaControlOf(context)), request, context),
});

app.http("deliverOrder", {
  route: "orders/{orderId}/deliver",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlers(context).deliverOrder(sagaControlOf(context)), request, context),
});
