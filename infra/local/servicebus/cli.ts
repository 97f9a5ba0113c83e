import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureLocalCertificate } from "../launcher/localCertificate";
import { startServiceBusEmulator } from "./index";

/**
 * `npm run servicebus -- --config FILE --port N --cert-dir DIR`: the emulator as a process of
 * its own. The administration API's certificate is made once into DIR (default
 * .local/servicebus), so NODE_EXTRA_CA_CERTS=DIR/cert.pem keeps working across restarts.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "cert-dir": { type: "string", default: ".local/servicebus" },
    },
  });
  const port = values.port === undefined ? 5672 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: expected a port number, got ${values.port}`);
  }
  const pair = await ensureLocalCertificate(resolve(values["cert-dir"]));
  const emulator = await startServiceBusEmulator({
    port,
    tls: { cert: pair.cert, key: pair.key },
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.config === undefined ? {} : { configPath: values.config }),
    log: (line) => console.log(line),
  });
  console.log(`servicebus: listening on ${emulator.port}`);
  console.log(`servicebus: ${emulator.connectionString}`);
  console.log(
    `servicebus: administration API ${emulator.managementEndpoint} (trust it: NODE_EXTRA_CA_CERTS=${resolve(pair.certFile)})`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
