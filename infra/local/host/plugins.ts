/**
 * The trigger plugins the local host runs beside its built-in HTTP, timer and Service Bus
 * triggers. Each plugin drives the functions whose trigger type it names (see plugin.ts).
 */
import { DurablePlugin } from "../durable/durablePlugin";
import type { HostPlugin } from "./plugin";
import { SignalRInputPlugin } from "./signalRInput";

/** Builds the plugin list for one host start; called once per start. */
export function createHostPlugins(): HostPlugin[] {
  return [new DurablePlugin(), new SignalRInputPlugin()];
}
