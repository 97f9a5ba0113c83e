/**
 * Test and benchmark helper: N Functions host processes of one app against the same
 * stand-ins, as Azure scales a function app out to N instances, behind one address (a
 * round-robin proxy when N > 1). Each instance has its own id (`LOCAL_HOST_INSTANCE_ID`), which
 * a restarted instance keeps, as a replaced Azure instance keeps its worker id.
 */
import os from "node:os";
import { startRoundRobinProxy, type RoundRobinProxy } from "../launcher/roundRobinProxy";
import {
  startHostProcess,
  type HostProcess,
  type StartHostProcessOptions,
} from "./startHostProcess";

export interface HostCluster {
  /** Where callers send requests: the proxy, or the only instance. */
  readonly baseUrl: string;
  /** The instances' processes, by index; `restart(i)` replaces one. */
  readonly hosts: HostProcess[];
  /** The instance id each index runs as. */
  readonly instanceIds: readonly string[];
  /** Starts instance `i` again (after a kill or a stop), with the same id. */
  restart(i: number): Promise<HostProcess>;
  /** Stops every instance (SIGTERM) and the proxy. */
  stop(): Promise<void>;
}

export interface StartHostClusterOptions extends Omit<StartHostProcessOptions, "port"> {
  /** How many host processes; 1 by default. */
  readonly instances?: number;
}

export function instanceIdFor(index: number): string {
  return `${os.hostname()}-${index + 1}`;
}

export async function startHostCluster(
  options: StartHostClusterOptions = {},
): Promise<HostCluster> {
  const count = Math.max(1, options.instances ?? 1);
  const instanceIds = Array.from({ length: count }, (_, i) => instanceIdFor(i));
  const start = (i: number): Promise<HostProcess> =>
    startHostProcess({
      ...options,
      env: { ...options.env, LOCAL_HOST_INSTANCE_ID: instanceIds[i] },
    });
  const results = await Promise.allSettled(instanceIds.map((_, i) => start(i)));
  const hosts = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.all(hosts.map((h) => h.kill()));
    throw failed.reason;
  }
  let proxy: RoundRobinProxy | undefined;
  if (count > 1) {
    proxy = await startRoundRobinProxy({
      port: 0,
      hostname: "127.0.0.1",
      upstreams: hosts.map((h) => h.baseUrl),
    });
  }
  const cluster: HostCluster = {
    baseUrl: proxy?.baseUrl ?? (hosts[0] as HostProcess).baseUrl,
    hosts,
    instanceIds,
    async restart(i) {
      const host = await start(i);
      hosts[i] = host;
      proxy?.setUpstreams(hosts.map((h) => h.baseUrl));
      return host;
    },
    async stop() {
      await Promise.all(hosts.map((h) => h.stop().catch(() => undefined)));
      await proxy?.close();
    },
  };
  return cluster;
}
