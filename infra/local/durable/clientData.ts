/**
 * The `durableClient` binding's data, in the shape the Durable extension gives
 * `durable-functions` (`OrchestrationClientInputData`). `rpcBaseUrl` is what the client
 * calls: as in Azure (`http://127.0.0.1:17071/durabletask/`), a loopback-only listener that
 * needs no key, because `durable-functions` sends none there. The public URLs carry the
 * system key in `code`, as Azure's do: they are what `createCheckStatusResponse` hands to
 * callers, and the host refuses a webhook call without the key (host/httpKeys.ts).
 */
export const WEBHOOK_PATH = "/runtime/webhooks/durabletask";
export const INSTANCE_ID_PLACEHOLDER = "INSTANCEID";

export interface DurableClientData {
  taskHubName: string;
  creationUrls: Record<string, string>;
  managementUrls: Record<string, string>;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
}

export interface DurableClientUrls {
  /** The host's public base URL, e.g. `http://127.0.0.1:7071`. */
  readonly hostBaseUrl: string;
  /** The loopback listener's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly rpcBaseUrl: string;
  readonly hubName: string;
  /** The `durabletask_extension` system key. */
  readonly systemKey: string;
}

export function durableClientData(urls: DurableClientUrls): DurableClientData {
  const { hostBaseUrl, hubName, systemKey } = urls;
  const base = `${hostBaseUrl.replace(/\/$/, "")}${WEBHOOK_PATH}`;
  const query = `taskHub=${encodeURIComponent(hubName)}&connection=Storage&code=${encodeURIComponent(systemKey)}`;
  const instance = `${base}/instances/${INSTANCE_ID_PLACEHOLDER}`;
  return {
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: {
      id: INSTANCE_ID_PLACEHOLDER,
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${urls.rpcBaseUrl.replace(/\/$/, "")}${WEBHOOK_PATH}/`,
  };
}

/** The check-status payload for one instance (the body of a start's 202). */
export function managementPayload(
  data: DurableClientData,
  instanceId: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data.managementUrls)) {
    out[key] = value.replace(INSTANCE_ID_PLACEHOLDER, encodeURIComponent(instanceId));
  }
  out.id = instanceId;
  return out;
}
