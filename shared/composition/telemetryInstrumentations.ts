import { AzureFunctionsInstrumentation } from "@azure/functions-opentelemetry-instrumentation";
import { createAzureSdkInstrumentation } from "@azure/opentelemetry-instrumentation-azure-sdk";

/**
 * The instrumentations that patch modules as they are required.
 *
 * The Azure SDK's sets `@azure/core-tracing`'s instrumenter to OpenTelemetry, so Cosmos DB,
 * Service Bus, Communication Services, Key Vault and identity calls are client spans of
 * their own (https://learn.microsoft.com/javascript/api/overview/azure/opentelemetry-instrumentation-azure-sdk-readme).
 * It must exist before any Azure client library loads, so this module is imported first
 * (functions/telemetry.ts is the app entry's first import). It finds its tracer through the
 * global API when it makes a span, so the provider may be registered after it.
 *
 * The Functions worker's (https://learn.microsoft.com/azure/azure-functions/opentelemetry-howto)
 * runs in Azure only: it tells the host that the worker exports its own telemetry, sends the
 * worker's logs as OpenTelemetry logs, and makes the host's invocation span current in the
 * handler. Locally no host exports spans, so it stays off.
 */
export interface TelemetryInstrumentations {
  readonly azureSdk: { disable(): void };
  /** Created on demand, after the app's own invocation hook (see functions/telemetry.ts). */
  functions(): AzureFunctionsInstrumentation | undefined;
}

const env = process.env;
const disabled = env.OTEL_SDK_DISABLED?.trim() === "true";
const inAzure = (env.APPLICATIONINSIGHTS_CONNECTION_STRING ?? "").trim() !== "";
let functions: AzureFunctionsInstrumentation | undefined;

export const telemetryInstrumentations: TelemetryInstrumentations = {
  azureSdk: disabled ? { disable: () => undefined } : createAzureSdkInstrumentation(),
  functions() {
    if (disabled || !inAzure) return undefined;
    functions ??= new AzureFunctionsInstrumentation();
    return functions;
  },
};
