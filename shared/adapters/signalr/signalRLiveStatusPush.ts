import { createSecretKey, type KeyObject } from "node:crypto";
import type { TokenCredential } from "@azure/identity";
import jwt from "jsonwebtoken";
import type { SignalRSettings } from "../../config/settings";
import { ORDER_STATUS_CHANGED } from "../../contracts/live/orderStatusChanged";
import type { LiveStatusPush } from "../../ports/liveStatus";

/** Entra ID scope of the SignalR Service data plane (the Azure SignalR SDK's DefaultScope). */
export const SIGNALR_SCOPE = "https://signalr.azure.com/.default";
const API_VERSION = "2022-06-01";

export interface SignalRLiveStatusPushDeps {
  readonly settings: SignalRSettings;
  readonly hub: string;
  /** The managed identity, for the identity-based connection. */
  readonly credential: () => TokenCredential;
  /** A push that takes longer is abandoned: it must not hold a saga step up. */
  readonly timeoutInMs?: number;
}

/** The service refused the push or could not be reached. */
export class LiveStatusPushError extends Error {
  override readonly name = "LiveStatusPushError";
}

/**
 * Sends `orderStatusChanged` to one user through the SignalR Service REST API
 * (`POST /api/hubs/{hub}/users/{user}/:send?api-version=2022-06-01`, Azure/azure-signalr
 * docs/swagger/V20220601.md). The saga's status activity calls this itself rather than
 * returning the message on a `signalR` output binding: the host writes output bindings after
 * the function returned and the extension's collector throws when the service refuses, which
 * fails the activity and, after its retries, the saga step; a lost push must not.
 * Authentication: locally a JWT signed HS256 with the connection string's AccessKey, `aud` =
 * the request URL without query (docs/rest-api.md); in Azure an Entra ID token of the managed
 * identity (the key-less service has no AccessKey).
 */
export function createSignalRLiveStatusPush(deps: SignalRLiveStatusPushDeps): LiveStatusPush {
  const { settings, hub } = deps;
  let credential: TokenCredential | undefined;
  // Made once: given the key as a string, jsonwebtoken first tries it as a PEM private key
  // (crypto.createPrivateKey, which throws) on every sign, a hot spot of the host under load.
  // The settings schema refuses an empty AccessKey, which would make an empty HMAC key.
  let signingKey: KeyObject | undefined;
  const bearer = async (audience: string, signal: AbortSignal): Promise<string> => {
    if (settings.kind === "connectionString") {
      signingKey ??= createSecretKey(settings.accessKey, "utf8");
      return jwt.sign({}, signingKey, { algorithm: "HS256", audience, expiresIn: 300 });
    }
    credential ??= deps.credential();
    const token = await credential.getToken(SIGNALR_SCOPE, { abortSignal: signal });
    if (!token) throw new LiveStatusPushError("no Entra ID token for the SignalR Service");
    return token.token;
  };
  return {
    async orderStatusChanged(customerId, change): Promise<void> {
      const path = `/api/hubs/${encodeURIComponent(hub)}/users/${encodeURIComponent(customerId)}/:send`;
      const signal = AbortSignal.timeout(deps.timeoutInMs ?? 5000);
      let response: Response;
      try {
        response = await fetch(`${settings.endpoint}${path}?api-version=${API_VERSION}`, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${await bearer(`${settings.endpoint}${path}`, signal)}`,
            "Content-Type": "application/json",
          },
          body: JSON.stringify({ target: ORDER_STATUS_CHANGED, arguments: [change] }),
          signal,
        });
      } catch (error) {
        throw new LiveStatusPushError(`SignalR Service unreachable: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (!response.ok)
        throw new LiveStatusPushError(`SignalR Service answered ${response.status} to the push`);
    },
  };
}
