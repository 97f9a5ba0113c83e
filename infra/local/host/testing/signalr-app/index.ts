/**
 * A function app for the SignalR binding tests: a negotiate function with the
 * `signalRConnectionInfo` input (user id from a header, as an app behind a gateway declares
 * it) and a function that hands whatever JSON it is posted to the `signalR` output binding.
 * Both are declared with `input.generic` / `output.generic`, as `@azure/functions` has no
 * SignalR helpers.
 */
import { app, input, output } from "@azure/functions";

const connectionInfo = input.generic({
  type: "signalRConnectionInfo",
  name: "connectionInfo",
  hubName: "%FIXTURE_HUB%",
  userId: "{headers.x-user-id}",
});

const signalR = output.generic({ type: "signalR", name: "signalR", hubName: "%FIXTURE_HUB%" });

app.http("negotiate", {
  route: "negotiate",
  methods: ["POST"],
  extraInputs: [connectionInfo],
  handler: (_request, context) => ({ jsonBody: context.extraInputs.get(connectionInfo) }),
});

app.http("push", {
  route: "push",
  methods: ["POST"],
  extraOutputs: [signalR],
  handler: async (request, context) => {
    context.extraOutputs.set(signalR, await request.json());
    return { status: 202 };
  },
});
