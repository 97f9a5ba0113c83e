/**
 * `node infra/local/dist/launcher/standInsMain.js`: the stand-ins (Azurite, Cosmos server,
 * Service Bus emulator, SignalR Service) in one process of their own, apart from the Functions host, so the host
 * can be killed and restarted without losing a message or a document. Ports come from the
 * settings named in PORT_SETTINGS. Reports `{ type: "ready", settings, ports }` (or
 * `{ type: "failed", message }`) over IPC when forked, and prints the same.
 * `--faults` turns fault injection on: proxies in front of the stand-ins and the control API
 * on FAULTS_PORT (the ready message carries its URL as `faultsUrl`); host kills go to the
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
  const ports = {
    azuriteBlob: standIns.azurite?.blobPort,
    azuriteQueue: standIns.azurite?.queuePort,
    azuriteTable: standIns.azurite?.tablePort,
    cosmos: standIns.cosmos?.port,
    serviceBus: standIns.serviceBus?.port,
    signalR: standIns.signalR?.port,
    identity: standIns.identity?.port,
  };
  const faultsUrl = standIns.faults?.url;
  process.stdout.write(`Stand-ins ready: ${JSON.stringify(ports)}\n`);
  process.send?.({ type: "ready", settings: standIns.settings, ports, faultsUrl });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    standIns.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
}

if (require.main === module) void main();
