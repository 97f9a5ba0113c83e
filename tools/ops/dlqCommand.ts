import { parseArgs } from "node:util";
import type { ServiceBusAdministrationClient, ServiceBusClient } from "@azure/service-bus";
import { CONNECTIONS } from "../../shared/config/names";
import {
  describeTarget,
  listDeadLetters,
  purgeDeadLetters,
  resubmitDeadLetters,
  showDeadLetters,
  type DeadLetterDetail,
  type DeadLetterSelector,
  type DeadLetterSummary,
  type DeadLetterTarget,
} from "./deadLetterQueue";
import { entityCounts } from "./entityCounts";

export const DLQ_USAGE = `Usage: npm run dlq -- <command> --entity <queue|topic> [options]

Commands:
  counts     active, dead-lettered and scheduled counts of every queue and subscription
             (or of --entity [--subscription]), from the management API
  list       peek dead-lettered messages (nothing is locked or changed)
  show       print the selected messages in full (body, properties)
  resubmit   send a copy of each selected message to the entity, then remove it from the DLQ
  purge      remove the selected messages from the DLQ

Options:
  --entity <name>              queue, or topic when --subscription is given (required,
                               except for counts)
  --subscription <name>        topic subscription, e.g. saga
  --connection-setting <name>  app setting holding the connection (default ${CONNECTIONS.serviceBus}):
                               <name> = connection string, or
                               <name>__fullyQualifiedNamespace (+ __clientId) = Entra ID
  --sequence-number <n>        select by sequence number (repeatable)
  --message-id <id>            select by message id (repeatable)
  --all                        select every message (resubmit, purge)
  --max <n>                    most messages to list (default 100)
  --json                       print JSON instead of one line per message
  --help                       this text

counts uses the management API: the local emulator serves it over HTTPS with its own
certificate, so trust that first: NODE_EXTRA_CA_CERTS=.local/servicebus/cert.pem`;

export type DlqCommandName = "counts" | "list" | "show" | "resubmit" | "purge";

export interface DlqCommand {
  readonly command: DlqCommandName;
  /** Undefined only for `counts` over the whole namespace. */
  readonly target: DeadLetterTarget | undefined;
  readonly connectionSetting: string;
  readonly selector: DeadLetterSelector;
  readonly maxCount: number;
  readonly json: boolean;
}

/** A command-line mistake; the CLI prints it with the usage text and exits 2. */
export class DlqUsageError extends Error {
  override name = "DlqUsageError";
}

const COMMANDS: readonly DlqCommandName[] = ["counts", "list", "show", "resubmit", "purge"];

/** Parses the arguments after `npm run dlq --`; undefined means "print the usage". */
export function parseDlqArgs(argv: readonly string[]): DlqCommand | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        entity: { type: "string" },
        subscription: { type: "string" },
        "connection-setting": { type: "string", default: CONNECTIONS.serviceBus },
        "sequence-number": { type: "string", multiple: true },
        "message-id": { type: "string", multiple: true },
        all: { type: "boolean", default: false },
        max: { type: "string", default: "100" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    throw new DlqUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const command = positionals[0];
  if (!COMMANDS.includes(command as DlqCommandName)) {
    throw new DlqUsageError(`unknown command "${command ?? ""}"; expected ${COMMANDS.join(", ")}`);
  }
  if (positionals.length > 1) throw new DlqUsageError(`unexpected "${positionals[1]}"`);
  if (!values.entity && command !== "counts") throw new DlqUsageError("--entity is required");
  const maxCount = Number(values.max);
  if (!Number.isInteger(maxCount) || maxCount < 1) {
    throw new DlqUsageError("--max must be a positive integer");
  }
  const sequenceNumbers = values["sequence-number"] ?? [];
  if (sequenceNumbers.some((s) => !/^\d+$/.test(s))) {
    throw new DlqUsageError("--sequence-number must be a whole number");
  }
  const selector: DeadLetterSelector = {
    sequenceNumbers,
    messageIds: values["message-id"] ?? [],
    all: values.all,
  };
  const selects =
    selector.all || sequenceNumbers.length > 0 || (selector.messageIds?.length ?? 0) > 0;
  if ((command === "show" || command === "resubmit" || command === "purge") && !selects) {
    throw new DlqUsageError(`${command} needs --sequence-number, --message-id or --all`);
  }
  if (command === "show" && selector.all)
    throw new DlqUsageError("show takes ids, not --all; use list");
  return {
    command: command as DlqCommandName,
    target: values.entity
      ? {
          entity: values.entity,
          ...(values.subscription ? { subscription: values.subscription } : {}),
        }
      : undefined,
    connectionSetting: values["connection-setting"],
    selector,
    maxCount,
    json: values.json,
  };
}

function line(m: DeadLetterSummary): string {
  return [
    `seq=${m.sequenceNumber}`,
    `id=${m.messageId}`,
    `subject=${m.subject ?? "-"}`,
    `enqueued=${m.enqueuedTime ?? "-"}`,
    `deliveries=${m.deliveryCount ?? "-"}`,
    `reason=${JSON.stringify(m.deadLetterReason ?? null)}`,
    `description=${JSON.stringify(m.deadLetterErrorDescription ?? null)}`,
  ].join(" ");
}

/**
 * Runs one parsed command; returns the process exit code. `counts` reads the management API
 * through `admin`; the other commands read and settle messages through `client`.
 */
export async function runDlqCommand(
  cmd: DlqCommand,
  client: ServiceBusClient,
  print: (text: string) => void,
  admin?: ServiceBusAdministrationClient,
): Promise<number> {
  if (cmd.command === "counts") {
    if (!admin) throw new Error("counts needs a ServiceBusAdministrationClient");
    const counts = await entityCounts(admin, cmd.target);
    if (cmd.json) print(JSON.stringify(counts, null, 2));
    else {
      for (const c of counts) {
        print(`${c.entity} active=${c.active} deadLetter=${c.deadLetter} scheduled=${c.scheduled}`);
      }
    }
    return 0;
  }
  const target = cmd.target as DeadLetterTarget;
  const where = describeTarget(target);
  let result: DeadLetterDetail[] | DeadLetterSummary[];
  switch (cmd.command) {
    case "list":
      result = await listDeadLetters(client, target, { maxCount: cmd.maxCount });
      break;
    case "show":
      result = await showDeadLetters(client, target, cmd.selector);
      break;
    case "resubmit":
      result = await resubmitDeadLetters(client, target, cmd.selector);
      break;
    case "purge":
      result = await purgeDeadLetters(client, target, cmd.selector);
      break;
  }
  if (cmd.json) {
    print(JSON.stringify(result, null, 2));
  } else if (cmd.command === "show") {
    for (const m of result) print(JSON.stringify(m, null, 2));
  } else {
    for (const m of result) print(line(m));
    const verb = { list: "dead-lettered", resubmit: "resubmitted", purge: "purged" }[cmd.command];
    print(`${result.length} message(s) ${verb} on ${where}`);
  }
  // Asking for ids that are not there is worth a non-zero exit in a script.
  const named =
    (cmd.selector.sequenceNumbers?.length ?? 0) + (cmd.selector.messageIds?.length ?? 0);
  return cmd.command !== "list" && !cmd.selector.all && result.length < named ? 1 : 0;
}
