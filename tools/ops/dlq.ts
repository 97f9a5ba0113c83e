import { DLQ_USAGE, DlqUsageError, parseDlqArgs, runDlqCommand } from "./dlqCommand";
import { operatorSettings, serviceBusClientFromSettings } from "./serviceBusClientFromSettings";

// npm run dlq -- list|show|resubmit|purge --entity <name> [--subscription <name>] ...
// Against the local emulator (ServiceBusConnection from local.settings.json or the
// environment) or a real namespace (ServiceBusConnection__fullyQualifiedNamespace + az login).
async function main(argv: readonly string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseDlqArgs(argv);
  } catch (e) {
    if (!(e instanceof DlqUsageError)) throw e;
    console.error(`dlq: ${e.message}\n\n${DLQ_USAGE}`);
    return 2;
  }
  if (!cmd) {
    console.log(DLQ_USAGE);
    return 0;
  }
  const client = serviceBusClientFromSettings(operatorSettings(), cmd.connectionSetting);
  try {
    return await runDlqCommand(cmd, client, (text) => console.log(text));
  } finally {
    await client.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`dlq: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
