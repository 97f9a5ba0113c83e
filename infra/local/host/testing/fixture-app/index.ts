/**
 * A small function app for the local host's tests: one function per trigger and binding kind
 * the host supports, plus hooks. It registers through `@azure/functions` exactly as the order
 * app does. Service Bus functions are registered only when FIXTURE_SERVICEBUS=true, so HTTP
 * tests need no broker.
 */
import {
  app,
  input,
  output,
  trigger,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
  type Timer,
} from "@azure/functions";
import { state } from "./state";

app.hook.appStart((context) => {
  state.hooks.push("appStart");
  context.hookData.startedAt = "now";
});
app.hook.appTerminate(() => {
  state.hooks.push("appTerminate");
  console.log("fixture appTerminate hook ran");
});
app.hook.preInvocation((context) => {
  context.hookData.pre = context.invocationContext.functionName;
  if (context.invocationContext.functionName === "hooked") {
    state.hooks.push("preInvocation");
    // A pre-invocation hook may replace the handler, as in Azure.
    const original = context.functionHandler;
    context.functionHandler = async (...args: unknown[]) => {
      const result = (await (original as (...a: unknown[]) => unknown)(...args)) as {
        jsonBody: Record<string, unknown>;
      };
      return { jsonBody: { ...result.jsonBody, wrapped: true } };
    };
  }
});
app.hook.postInvocation((context) => {
  if (context.invocationContext.functionName === "hooked") {
    state.hooks.push(`postInvocation:${String(context.hookData.pre)}`);
  }
});

app.hook.log((context) => {
  // Log hooks may rewrite a line before it is written, as in Azure.
  if (context.category === "user" && context.message.includes("secret-token")) {
    context.message = context.message.replace("secret-token", "[redacted]");
  }
});

app.http("hello", {
  methods: ["GET", "POST"],
  route: "hello/{name?}",
  handler: async (request: HttpRequest, context: InvocationContext) => {
    context.log("hello called", request.params.name ?? "(nobody)");
    const text = request.method === "POST" ? await request.text() : "";
    return {
      jsonBody: {
        name: request.params.name ?? null,
        query: Object.fromEntries(request.query.entries()),
        method: request.method,
        text,
        header: request.headers.get("x-fixture"),
        invocationId: context.invocationId,
        traceParent: context.traceContext?.traceParent ?? null,
      },
    };
  },
});

app.http("echoBytes", {
  methods: ["PUT"],
  route: "echo",
  handler: async (request: HttpRequest) => {
    const bytes = Buffer.from(await request.arrayBuffer());
    return {
      status: 201,
      body: bytes,
      headers: { "content-type": "application/octet-stream", "x-length": String(bytes.length) },
      cookies: [{ name: "seen", value: "yes", path: "/" }],
    };
  },
});

app.get("itemById", {
  route: "items/{id:int}",
  handler: (request: HttpRequest) => ({ jsonBody: { id: request.params.id, kind: "int" } }),
});

app.get("itemByName", {
  route: "items/{name:alpha}",
  handler: (request: HttpRequest) => ({ jsonBody: { name: request.params.name, kind: "alpha" } }),
});

app.get("itemsLiteral", {
  route: "items/special",
  handler: () => ({ jsonBody: { kind: "literal" } }),
});

app.get("files", {
  route: "files/{*path}",
  handler: (request: HttpRequest) => ({ jsonBody: { path: request.params.path ?? null } }),
});

app.get("defaultRoute", {
  handler: () => ({ body: "default route is the function name" }),
});

app.get("throws", {
  route: "throws",
  handler: () => {
    throw new Error("fixture failure");
  },
});

app.get("noContent", {
  route: "no-content",
  handler: (_request: HttpRequest, context: InvocationContext) => {
    context.warn("returning nothing");
    return undefined as unknown as HttpResponseInit;
  },
});

app.get("secure", {
  route: "secure",
  authLevel: "function",
  handler: () => ({ body: "secret" }),
});

app.get("adminOnly", {
  route: "admin-only",
  authLevel: "admin",
  handler: () => ({ body: "admin" }),
});

app.get("hooked", {
  route: "hooked",
  handler: () => ({ jsonBody: { handled: true } }),
});

app.get("slow", {
  route: "slow",
  handler: async (request: HttpRequest, context: InvocationContext) => {
    context.log("slow started");
    const ms = Number(request.query.get("ms") ?? "200");
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { body: "slow done" };
  },
});

app.get("state", {
  route: "state",
  handler: () => ({ jsonBody: state }),
});

app.get("settings", {
  route: "settings/{name}",
  handler: (request: HttpRequest) => ({
    jsonBody: { value: process.env[request.params.name ?? ""] ?? null },
  }),
});

if (process.env.FIXTURE_PLUGIN === "true") {
  // Bindings only a host plugin knows: an input a plugin fills, and a trigger a plugin drives.
  const pluginInput = input.generic({ type: "fixtureInput", name: "pluginInput" });
  app.get("withPluginInput", {
    route: "plugin-input",
    extraInputs: [pluginInput],
    handler: (_request: HttpRequest, context: InvocationContext) => ({
      jsonBody: { input: context.extraInputs.get(pluginInput) ?? null },
    }),
  });
  app.generic("pluginTriggered", {
    trigger: trigger.generic({ type: "fixtureTrigger" }),
    extraInputs: [pluginInput],
    handler: (payload: unknown, context: InvocationContext) => ({
      payload,
      input: context.extraInputs.get(pluginInput) ?? null,
    }),
  });
}

if (process.env.FIXTURE_TIMER_SCHEDULE || process.env.FIXTURE_TIMER_RAW) {
  app.timer("tick", {
    // A binding expression, resolved by the host from app settings.
    schedule: process.env.FIXTURE_TIMER_RAW ?? "%FIXTURE_TIMER_SCHEDULE%",
    runOnStartup: process.env.FIXTURE_TIMER_RUN_ON_STARTUP === "true",
    handler: (timer: Timer, context: InvocationContext) => {
      context.log("tick", timer.isPastDue);
      state.timerTicks.push({
        isPastDue: timer.isPastDue,
        scheduleStatus: timer.scheduleStatus,
        schedule: timer.schedule,
      });
    },
  });
}

if (process.env.FIXTURE_UNDRIVEN === "true") {
  // A trigger this local host has no driver for: start-up must say so, not skip it silently.
  app.storageQueue("storageQueued", {
    connection: "AzureWebJobsStorage",
    queueName: "fixture-storage",
    handler: () => undefined,
  });
}

if (process.env.FIXTURE_SERVICEBUS === "true") {
  const connection = "FixtureServiceBus";

  app.serviceBusQueue("work", {
    connection,
    queueName: "fixture-work",
    handler: async (message: unknown, context: InvocationContext) => {
      context.log(`work started ${String(context.triggerMetadata?.messageId)}`);
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      try {
        state.messages.push({
          functionName: "work",
          body: message,
          triggerMetadata: context.triggerMetadata,
        });
        const body = message as { holdMs?: number; fail?: boolean } | null;
        if (body && typeof body === "object" && body.holdMs) {
          await new Promise((resolve) => setTimeout(resolve, body.holdMs));
        }
        if (body && typeof body === "object" && body.fail)
          throw new Error("fixture message failure");
        context.log(`work done ${String(context.triggerMetadata?.messageId)}`);
      } finally {
        state.running--;
      }
    },
  });

  app.serviceBusTopic("events", {
    connection,
    topicName: "fixture-events",
    subscriptionName: "fixture-sub",
    return: output.serviceBusQueue({ connection, queueName: "fixture-out" }),
    handler: (message: unknown, context: InvocationContext) => {
      state.messages.push({
        functionName: "events",
        body: message,
        triggerMetadata: context.triggerMetadata,
      });
      return { forwarded: message };
    },
  });

  app.serviceBusQueue("sessionWork", {
    connection,
    queueName: "fixture-sessions",
    isSessionsEnabled: true,
    handler: (message: unknown, context: InvocationContext) => {
      state.messages.push({
        functionName: "sessionWork",
        body: message,
        triggerMetadata: context.triggerMetadata,
      });
    },
  });

  app.serviceBusQueue("batchWork", {
    connection,
    queueName: "fixture-batch",
    cardinality: "many",
    handler: (messages: unknown[], context: InvocationContext) => {
      state.messages.push({
        functionName: "batchWork",
        body: messages,
        triggerMetadata: context.triggerMetadata,
      });
    },
  });

  const extraOut = output.serviceBusQueue({ connection, queueName: "fixture-out" });
  app.post("send", {
    route: "send",
    extraOutputs: [extraOut],
    handler: async (request: HttpRequest, context: InvocationContext) => {
      const body = await request.json();
      context.extraOutputs.set(extraOut, Array.isArray(body) ? body : [body]);
      return { status: 202 };
    },
  });
}
