import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { HEADERS } from "../http";
import { SignalRConnectionInfoSchema } from "../live/orderStatusChanged";
import { CustomerHeadersSchema, json, problem } from "./openApiResponses";

/** Live order status: the first leg of Azure SignalR Service's serverless negotiate. */
export const LIVE_ROUTES: readonly RouteConfig[] = [
  {
    method: "post",
    path: "/api/negotiate",
    operationId: "negotiate",
    tags: ["Live status"],
    summary: "Connect to live order status (Azure SignalR Service)",
    description:
      "The first leg of the serverless negotiate redirect: `new HubConnectionBuilder().withUrl('<base>/api')` posts here, then connects to the returned URL with the token, as the caller. Every status change of the caller's orders then arrives as `orderStatusChanged` with one argument `{ orderId, status, failureReason, at, updatedAt }`.",
    request: { headers: CustomerHeadersSchema },
    responses: {
      200: json("Where to connect, and a token for the caller.", SignalRConnectionInfoSchema),
      401: problem(`The ${HEADERS.customerId} header is not a customer id.`),
    },
  },
];
