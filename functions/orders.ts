import { app } from "@azure/functions";
import * as df from "durable-functions";
import { apiHandlers } from "./apiHandlers";
import { runHttp, sagaControlOf } from "./httpBinding";

app.http("placeOrder", {
  route: "orders",
  methods: ["POST"],
  authLevel: "function",
  handler: (request) => runHttp(apiHandlers().placeOrder, request),
});

app.http("listOrders", {
  route: "orders",
  methods: ["GET"],
  authLevel: "function",
  handler: (request) => runHttp(apiHandlers().listOrders, request),
});

app.http("getOrder", {
  route: "orders/{orderId}",
  methods: ["GET"],
  authLevel: "function",
  handler: (request) => runHttp(apiHandlers().getOrder, request),
});

app.http("cancelOrder", {
  route: "orders/{orderId}/cancel",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlers().cancelOrder(sagaControlOf(context)), request),
});

app.http("shipOrder", {
  route: "orders/{orderId}/ship",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) => runHttp(apiHandlers().shipOrder(sagaControlOf(context)), request),
});

app.http("deliverOrder", {
  route: "orders/{orderId}/deliver",
  methods: ["POST"],
  authLevel: "function",
  extraInputs: [df.input.durableClient()],
  handler: (request, context) =>
    runHttp(apiHandlers().deliverOrder(sagaControlOf(context)), request),
});
