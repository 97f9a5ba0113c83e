import { parseArgs } from "node:util";
import { startServiceBusEmulator } from "./index";

/** `npm run servicebus -- --config FILE --port N`: the emulator as a process of its own. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
    },
  });
  const port = values.port === undefined ? 5672 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port: expected a port number, got ${values.port}`);
  }
  const emulator = await startServiceBusEmulator({
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.config === undefined ? {} : { configPath: values.config }),
    log: (line) => console.log(line),
  });
  console.log(`servicebus: listening on ${emulator.port}`);
  console.log(`servicebus: ${emulator.connectionString}`);
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
