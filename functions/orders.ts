import { app } from "@azure/functions";
import * as df from "durable-functions";
import { apiHandlersFor } from "./apiHandlersFor";
import { runHttp, sagaControlOf } from "./httpBinding";

app.http("placeOrder", {
  route: "orders",
  methods: ["POST"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlersFor(context).placeOrder, request, context),
});

app.http("listOrders", {
  route: "orders",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlersFor(context).listOrders, request, context),
});

app.http("getOrder", {
  route: "orders/{orderId}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request, context) => runHttp(apiHandlersFor(context).getOrder, request, context),
});

app.http("cancelOrder", {
  route: "orders/{orderId}/cancel",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlersFor(context).cancelOrder(sagaControlOf(context)), request, context),
});

app.http("shipOrder", {
  route: "orders/{orderId}/ship",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlersFor(context).shipOrder(sagaControlOf(context)), request, context),
});

app.http("deliverOrder", {
  route: "orders/{orderId}/deliver",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlersFor(context).deliverOrder(sagaControlOf(context)), request, context),
});
