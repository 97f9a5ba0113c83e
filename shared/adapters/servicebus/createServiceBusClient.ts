import { ServiceBusClient } from "@azure/service-bus";
import { DefaultAzureCredential } from "@azure/identity";
import type { ServiceBusSettings } from "../../config/settings";

/**
 * The one ServiceBusClient of a process: the connection string locally (the emulator's,
 * `UseDevelopmentEmulator=true` selects plain AMQP), the namespace with
 * DefaultAzureCredential in Azure.
 */
export function createServiceBusClient(settings: ServiceBusSettings): ServiceBusClient {
  if (settings.kind === "connectionString") return new ServiceBusClient(settings.connectionString);
  const credential = new DefaultAzureCredential(
    settings.clientId === undefined ? {} : { managedIdentityClientId: settings.clientId },
  );
  return new ServiceBusClient(settings.fullyQualifiedNamespace, credential);
}
