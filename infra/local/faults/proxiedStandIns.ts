/**
 * The stand-ins behind fault proxies: Azurite's three ports and the Service Bus emulator's
 * port each get a {@link TcpProxy} on the port the app is told about, while the stand-in
 * itself listens on a free port behind it. What the app connects to is unchanged apart from
 * the proxy hop; the faults act there.
 */
import { azuriteConnectionString, type RunningAzurite } from "../launcher/azurite";
import type { RunningServiceBus } from "../launcher/serviceBusStandIn";
import type { ServiceBusFaults } from "./serviceBusFaults";
import type { StorageFaults } from "./storageFaults";
import { TcpProxy } from "./tcpProxy";

async function proxy(host: string, targetPort: number, port: number): Promise<TcpProxy> {
  const p = new TcpProxy({ host, port: targetPort }, host);
  await p.listen(port);
  return p;
}

/** Proxies on `ports` in front of an Azurite started on free ports. */
export async function proxyAzurite(
  azurite: RunningAzurite,
  ports: { readonly blob: number; readonly queue: number; readonly table: number },
  host: string,
  faults: StorageFaults,
): Promise<RunningAzurite> {
  const proxies: TcpProxy[] = [];
  try {
    proxies.push(await proxy(host, azurite.blobPort, ports.blob));
    proxies.push(await proxy(host, azurite.queuePort, ports.queue));
    proxies.push(await proxy(host, azurite.tablePort, ports.table));
  } catch (error) {
    await Promise.all(proxies.map((p) => p.close()));
    await azurite.stop();
    throw error;
  }
  proxies.forEach((p) => faults.attach(p));
  const [blob, queue, table] = proxies.map((p) => p.port) as [number, number, number];
  return {
    blobPort: blob,
    queuePort: queue,
    tablePort: table,
    connectionString: azuriteConnectionString(host, blob, queue, table),
    pid: azurite.pid,
    async stop() {
      await Promise.all(proxies.map((p) => p.close()));
      await azurite.stop();
    },
  };
}

/** A proxy on `port` in front of a Service Bus emulator started on a free port. */
export async function proxyServiceBus(
  serviceBus: RunningServiceBus,
  port: number,
  host: string,
  faults: ServiceBusFaults,
): Promise<RunningServiceBus> {
  let p: TcpProxy;
  try {
    p = await proxy(host, serviceBus.port, port);
  } catch (error) {
    await serviceBus.stop();
    throw error;
  }
  faults.attach(p);
  return {
    port: p.port,
    connectionString: serviceBus.connectionString.replace(
      /(Endpoint=sb:\/\/[^:;/]+:)\d+/,
      `$1${p.port}`,
    ),
    // The administration API shares the AMQP port, so it is reached through the proxy too.
    managementEndpoint: serviceBus.managementEndpoint.replace(/:\d+\/$/, `:${p.port}/`),
    caCertFile: serviceBus.caCertFile,
    acceptedMessages: () => serviceBus.acceptedMessages(),
    operationCounts: () => serviceBus.operationCounts(),
    async stop() {
      await p.close();
      await serviceBus.stop();
    },
  };
}
