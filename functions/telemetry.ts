/**
 * Tracing for every function: the app entry's first import (functions/index.ts), because the
 * Azure SDK instrumentation must be in place before any Azure client library loads.
 * Each invocation runs inside a span of its own (shared/telemetry/invocationSpans.ts), made
 * by a pre-invocation hook, so the bindings in this folder and the handlers in shared/ know
 * nothing of tracing. The hook is registered before the Functions instrumentation patches
 * `@azure/functions` (on the next require of it), so in Azure that instrumentation's hook
 * wraps this one: the host's span is current first, then the invocation's own.
 */
import { telemetryInstrumentations } from "../shared/composition/telemetryInstrumentations";
import { app } from "@azure/functions";
import { apiSettings } from "../shared/composition/apiRoot";
import { startTelemetry } from "../shared/composition/telemetryRoot";
import { traceInvocation } from "../shared/telemetry/invocationSpans";

const settings = apiSettings();

if (settings.tracing.enabled) {
  const trustHost = telemetryInstrumentations.functions() !== undefined;
  app.hook.preInvocation((pre) => {
    const context = pre.invocationContext;
    const handler = pre.functionHandler;
    const description = {
      functionName: context.functionName,
      invocationId: context.invocationId,
      trigger: context.options.trigger as unknown as Record<string, unknown>,
      triggerMetadata: context.triggerMetadata ?? {},
      ...(trustHost && context.traceContext?.traceParent
        ? { hostTraceparent: context.traceContext.traceParent }
        : {}),
      input: pre.inputs[0],
    };
    pre.functionHandler = (...args: unknown[]) =>
      traceInvocation(description, () => (handler as (...a: unknown[]) => unknown)(...args));
  });
}

const telemetry = startTelemetry(
  settings.tracing,
  telemetryInstrumentations,
  settings.azureClientId,
);

app.hook.appTerminate(async () => {
  await telemetry.shutdown();
});
