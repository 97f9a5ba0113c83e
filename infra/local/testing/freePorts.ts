import { createServer, type AddressInfo } from "node:net";
import { PORT_SETTINGS } from "../launcher/standIns";

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Every stand-in's port setting on 0, so each takes a free port: derived from PORT_SETTINGS,
 * so a stand-in added there is covered wherever a test or bench starts the stand-ins.
 */
export function freeStandInPorts(): Record<string, string> {
  return Object.fromEntries(Object.values(PORT_SETTINGS).map((setting) => [setting, "0"]));
}
