/**
 * The IPC messages between the stand-ins process (where the control API runs) and the
 * launcher (which owns the Functions host): a kill request, its answer, and the news that a
 * new host is up after one died.
 */
import type { HostControl } from "./hostFaults";

export type HostKillMessage =
  | { readonly type: "host-kill"; readonly id: number }
  | {
      readonly type: "host-kill-result";
      readonly id: number;
      readonly outcome: "killed" | "not-running";
    }
  | { readonly type: "host-restarted" };

function isHostKillMessage(message: unknown): message is HostKillMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === "host-kill" || type === "host-kill-result" || type === "host-restarted";
}

interface Channel {
  send?(message: unknown): boolean;
  on(event: "message", listener: (message: unknown) => void): unknown;
}

/**
 * The stand-ins side: kills go to the parent over `channel` (the process's IPC channel);
 * `onRestarted` hears of each new host. Undefined when there is no parent to ask.
 */
export function ipcHostControl(channel: Channel, onRestarted: () => void): HostControl | undefined {
  if (!channel.send) return undefined;
  let nextId = 0;
  const waiting = new Map<number, (outcome: "killed" | "not-running") => void>();
  channel.on("message", (message) => {
    if (!isHostKillMessage(message)) return;
    if (message.type === "host-restarted") onRestarted();
    if (message.type === "host-kill-result") {
      waiting.get(message.id)?.(message.outcome);
      waiting.delete(message.id);
    }
  });
  return {
    kill: () =>
      new Promise((resolve) => {
        const id = ++nextId;
        waiting.set(id, resolve);
        channel.send?.({ type: "host-kill", id } satisfies HostKillMessage);
      }),
  };
}

/**
 * The launcher side: answers kill requests from the stand-ins by SIGKILLing the host that
 * `runningHost` returns (undefined while none is up). `wasKilled` tells the launcher's
 * restart watch that an exit was asked for, so it does not count against the crash limit.
 */
export function answerHostKills(
  standIns: Channel,
  runningHost: () => { kill(signal: NodeJS.Signals): boolean } | undefined,
): { wasKilled(host: object): boolean; restarted(): void } {
  const killed = new WeakSet<object>();
  standIns.on("message", (message) => {
    if (!isHostKillMessage(message) || message.type !== "host-kill") return;
    const found = runningHost();
    // A host already killed is on its way out; a second request finds none running.
    const host = found && !killed.has(found) ? found : undefined;
    if (host) {
      killed.add(host);
      host.kill("SIGKILL");
    }
    standIns.send?.({
      type: "host-kill-result",
      id: message.id,
      outcome: host ? "killed" : "not-running",
    } satisfies HostKillMessage);
  });
  return {
    wasKilled: (host) => killed.has(host),
    restarted: () => void standIns.send?.({ type: "host-restarted" } satisfies HostKillMessage),
  };
}
