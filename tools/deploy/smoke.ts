import { runSmokeTest } from "./smokeTest";

// The pipeline's last step: one order through APIM to Confirmed, then cancelled.
//   SMOKE_API_BASE_URL=https://<apim>.azure-api.net/api SMOKE_TOKEN=<jwt> npm run smoke
// SMOKE_TIMEOUT_SECONDS bounds each wait (default 300: a cold Flex instance is slow to start).
function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const result = await runSmokeTest({
    baseUrl: required("SMOKE_API_BASE_URL"),
    token: required("SMOKE_TOKEN"),
    settleTimeoutInMs: Number(process.env.SMOKE_TIMEOUT_SECONDS ?? "300") * 1000,
    log: (line) => console.log(line),
  });
  console.log(`smoke test passed: order ${result.orderId}: ${result.statuses.join(" > ")}`);
}

main().catch((e: unknown) => {
  console.error(`smoke test failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
