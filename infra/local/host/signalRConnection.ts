/**
 * Which SignalR Service a binding talks to, resolved as the extension does: the app setting
 * named by `connectionStringSetting` (default `AzureSignalRConnectionString`) holds a
 * connection string. The identity-based form (`<setting>__serviceUri`) is what Azure uses;
 * this host has no Entra ID to sign with, so it stops start-up naming the setting instead.
 */
import { parseSignalRConnectionString, type SignalRConnectionString } from "../signalr";
import type { BindingInfoLike } from "./plugin";

export const DEFAULT_SIGNALR_CONNECTION_SETTING = "AzureSignalRConnectionString";

export function resolveSignalRConnection(
  binding: BindingInfoLike,
  settings: Readonly<Record<string, string | undefined>>,
  where: string,
): SignalRConnectionString & { readonly settingName: string } {
  const named = binding.connectionStringSetting ?? binding.connection;
  const settingName =
    typeof named === "string" && named.trim() !== "" ? named : DEFAULT_SIGNALR_CONNECTION_SETTING;
  const value = settings[settingName]?.trim();
  if (!value) {
    const identity = settings[`${settingName}__serviceUri`]?.trim();
    throw new Error(
      identity
        ? `${where}: "${settingName}__serviceUri" is an identity-based connection, which the local host cannot sign for; set "${settingName}" to a connection string (npm start sets the local stand-in's).`
        : `${where}: the app setting "${settingName}" (a SignalR Service connection string) is not set.`,
    );
  }
  try {
    return { ...parseSignalRConnectionString(value), settingName };
  } catch (error) {
    throw new Error(`${where}: "${settingName}": ${(error as Error).message}`, { cause: error });
  }
}

/** The binding's hub name; required, as in the extension. */
export function hubNameOf(binding: BindingInfoLike, where: string): string {
  const hub = binding.hubName;
  if (typeof hub !== "string" || hub.trim() === "")
    throw new Error(`${where}: a SignalR binding needs hubName.`);
  return hub;
}
