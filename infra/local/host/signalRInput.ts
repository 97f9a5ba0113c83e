/**
 * The `signalRConnectionInfo` input binding: `{ url, accessToken }` for the serverless
 * negotiate redirect. `url` is `<client endpoint>/client/?hub=<hub, lower case>` and the token
 * is signed with the AccessKey, `aud` = that URL, `nameid` = the resolved `userId`, valid one
 * hour (Azure/azure-signalr docs/rest-api.md "Implement Negotiate Endpoint";
 * DefaultServiceEndpointGenerator lower-cases the hub). Wired as a host plugin that drives no
 * trigger and answers input bindings of this type.
 */
import { signAccessToken } from "../signalr";
import { httpBindingData, resolveInvocationExpression } from "./bindingExpressions";
import type {
  BindingInfoLike,
  HostPlugin,
  HostPluginContext,
  InvocationRequest,
  RegisteredFunction,
  RpcTypedDataLike,
} from "./plugin";
import { hubNameOf, resolveSignalRConnection } from "./signalRConnection";
import { resolveBindingExpression } from "./timerTrigger";

export const SIGNALR_CONNECTION_INFO = "signalRConnectionInfo";

export class SignalRInputPlugin implements HostPlugin {
  readonly name = "signalR";
  readonly triggerTypes: readonly string[] = [];
  readonly inputBindingTypes = [SIGNALR_CONNECTION_INFO];
  private settings: Readonly<Record<string, string | undefined>> = {};

  /** Checks every binding's connection and hub at start-up, so a bad setting stops the host. */
  static validate(
    functions: readonly RegisteredFunction[],
    settings: Readonly<Record<string, string | undefined>>,
  ): void {
    for (const fn of functions) {
      for (const binding of Object.values(fn.bindings)) {
        if (binding.type !== SIGNALR_CONNECTION_INFO) continue;
        const where = `Function "${fn.name}" (signalRConnectionInfo input)`;
        resolveSignalRConnection(binding, settings, where);
        resolveBindingExpression(hubNameOf(binding, where), settings, where);
      }
    }
  }

  start(context: HostPluginContext): Promise<void> {
    this.settings = context.settings;
    return Promise.resolve();
  }

  inputBindingData(
    binding: BindingInfoLike,
    fn: RegisteredFunction,
    request: InvocationRequest,
  ): RpcTypedDataLike {
    const where = `Function "${fn.name}" (signalRConnectionInfo input)`;
    const connection = resolveSignalRConnection(binding, this.settings, where);
    const data = httpBindingData(fn, request);
    const hub = resolveInvocationExpression(hubNameOf(binding, where), this.settings, data, where);
    const userId =
      typeof binding.userId === "string" && binding.userId !== ""
        ? resolveInvocationExpression(binding.userId, this.settings, data, where)
        : undefined;
    const url = `${connection.clientEndpoint}/client/?hub=${hub.toLowerCase()}`;
    const accessToken = signAccessToken(connection.accessKey, {
      audience: url,
      ...(userId ? { userId } : {}),
    });
    return { json: JSON.stringify({ url, accessToken }) };
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
