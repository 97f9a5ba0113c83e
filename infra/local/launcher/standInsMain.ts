/**
 * `node infra/local/dist/launcher/standInsMain.js [--in-memory] [--faults]`: the stand-ins
 * (Azurite, Cosmos server, Service Bus emulator, SignalR Service, identity) in one process of
 * their own, apart from the Functions host, so the host can be killed and restarted without
 * losing a message or a document. Ports come from the settings named in PORT_SETTINGS.
 * Reports `{ type: "ready", settings, ports, pids, faultsUrl? }` (or `{ type: "failed",
 * message }`) over IPC when forked, and prints the same. `--in-memory` keeps Azurite's data in
 * memory (benchmarks and tests), leaving `.local/azurite` alone. Asked `{ type: "stats" }`
 * over IPC, it answers `{ type: "stats", cosmos, serviceBus }`: what the stand-ins were asked
 * to do so far. `--faults` turns fault injection on: proxies in front of the stand-ins and the
 * control API on FAULTS_PORT (the ready message carries its URL); host kills go to the
 * launcher over IPC.
 */
import { FaultInjector } from "../faults/faultInjector";
import { faultsPortFrom } from "../faults/faultsPort";
import { ipcHostControl } from "../faults/hostKillMessages";
import { startStandIns } from "./standIns";
import { standInPortsFrom } from "./settingsPorts";

async function main(): Promise<void> {
  let standIns;
  try {
    let injector: FaultInjector | undefined;
    if (process.argv.includes("--faults")) {
      const restarted = (): void => injector?.host.restarted();
      const hostControl = ipcHostControl(process, restarted);
      injector = new FaultInjector(hostControl ? { hostControl } : {});
    }
    standIns = await startStandIns({
      root: process.cwd(),
      ports: standInPortsFrom(process.env),
      ...(process.argv.includes("--in-memory") ? { inMemory: true } : {}),
      ...(process.env.SERVICEBUS_CONFIG_PATH
        ? { serviceBusConfigPath: process.env.SERVICEBUS_CONFIG_PATH }
        : {}),
      log: (line) => process.stdout.write(`${line}\n`),
      ...(injector ? { faults: { injector, controlPort: faultsPortFrom(process.env) } } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Stand-ins failed to start: ${message}\n`);
    process.send?.({ type: "failed", message }, () => process.exit(1));
    if (!process.send) process.exit(1);
    return;
  }
  const running = standIns;
  const ports = {
    azuriteBlob: running.azurite?.blobPort,
    azuriteQueue: running.azurite?.queuePort,
    azuriteTable: running.azurite?.tablePort,
    cosmos: running.cosmos?.port,
    serviceBus: running.serviceBus?.port,
    signalR: running.signalR?.port,
    identity: running.identity?.port,
  };
  const faultsUrl = running.faults?.url;
  const pids = { standIns: process.pid, azurite: running.azurite?.pid };
  process.stdout.write(`Stand-ins ready: ${JSON.stringify(ports)}\n`);
  process.send?.({ type: "ready", settings: running.settings, ports, pids, faultsUrl });
  process.on("message", (message: { type?: string }) => {
    if (message.type !== "stats") return;
    process.send?.({
      type: "stats",
      cosmos: running.cosmos?.requestStats() ?? {},
      serviceBus: {
        accepted: running.serviceBus?.acceptedMessages() ?? {},
        operations: running.serviceBus?.operationCounts(),
      },
    });
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
}

if (require.main === module) void main();
