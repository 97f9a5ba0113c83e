import { DLQ_USAGE, DlqUsageError, parseDlqArgs, runDlqCommand } from "./dlqCommand";
import {
  administrationClientFromSettings,
  operatorSettings,
  serviceBusClientFromSettings,
} from "./serviceBusClientFromSettings";

/** Node's codes for a certificate no trusted authority signed (the local emulator's). */
const UNTRUSTED_CERTIFICATE = ["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN"];

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
  const settings = operatorSettings();
  const client = serviceBusClientFromSettings(settings, cmd.connectionSetting);
  const admin =
    cmd.command === "counts"
      ? administrationClientFromSettings(settings, cmd.connectionSetting)
      : undefined;
  try {
    return await runDlqCommand(cmd, client, (text) => console.log(text), admin);
  } finally {
    await client.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const code = (e as { code?: unknown }).code;
    const hint = UNTRUSTED_CERTIFICATE.includes(String(code))
      ? " (the local emulator's management API has its own certificate: set NODE_EXTRA_CA_CERTS=.local/servicebus/cert.pem)"
      : "";
    console.error(`dlq: ${e instanceof Error ? e.message : String(e)}${hint}`);
    process.exitCode = 1;
  },
);
