import { PluginOn, type PluginConfig } from "@azure/cosmos";
import { SpanStatusCode } from "@opentelemetry/api";
import { ATTR_ORDER_ID } from "../../telemetry/semconv";
import { SpanKind, inSpan } from "../../telemetry/tracer";

/**
 * A CLIENT span per Cosmos DB operation (retries included), with the database conventions'
 * attributes (https://opentelemetry.io/docs/specs/semconv/database/cosmosdb/). @azure/cosmos
 * 4.x declares an `@azure/core-tracing` client but makes no span with it, so the Azure SDK
 * instrumentation sees nothing of Cosmos; the SDK's operation plugin hook is where the span
 * is made instead.
 */
function statusOf(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : 500;
}

export const cosmosTracingPlugin: PluginConfig = {
  on: PluginOn.operation,
  plugin: (context, _diagnostics, next) => {
    // Paths are /dbs/{db}/colls/{container}/docs/{id}; the order's own documents are keyed by it.
    const segments = (context.path ?? "").split("/").filter(Boolean);
    const database = segments[1];
    const container = segments[3];
    const operation = `${context.operationType ?? "operation"}`;
    const name = `${operation} ${container ?? context.resourceType ?? "cosmos"}`;
    // Partition key values are strings, numbers, booleans or null (one per path).
    const key: unknown = context.partitionKey;
    const partitionKey = Array.isArray(key)
      ? JSON.stringify(key)
      : typeof key === "string"
        ? key
        : undefined;
    return inSpan(
      name,
      {
        kind: SpanKind.CLIENT,
        // Not found, conflict and precondition failed are answers the repositories expect
        // (idempotency, optimistic concurrency), not failures of the call.
        isFailure: (error) => !(statusOf(error) < 500),
        attributes: {
          "db.system.name": "azure.cosmosdb",
          "db.operation.name": operation,
          ...(database === undefined ? {} : { "db.namespace": database }),
          ...(container === undefined ? {} : { "db.collection.name": container }),
          ...(partitionKey === undefined ? {} : { "db.cosmosdb.partition_key": partitionKey }),
          ...(container === "orders" && segments[5] !== undefined
            ? { [ATTR_ORDER_ID]: decodeURIComponent(segments[5]) }
            : {}),
        },
      },
      async (span) => {
        const response = await next(context);
        const charge = Number(response.headers?.["x-ms-request-charge"]);
        if (!Number.isNaN(charge))
          span.setAttribute("azure.cosmosdb.operation.request_charge", charge);
        if (typeof response.code === "number") {
          span.setAttribute("db.response.status_code", String(response.code));
          if (response.code >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return response;
      },
    );
  },
};
