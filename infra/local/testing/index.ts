/** Shared test helpers for the local runtime: stand-ins and the Functions host as a child process. */
export { startStandIns } from "./startStandIns";
export type { TestStandInsOptions, RunningStandIns } from "./startStandIns";
export {
  startHostProcess,
  expectHostStartFailure,
  hostMainPath,
  HostStartError,
} from "./startHostProcess";
export type { HostProcess, HostExit, StartHostProcessOptions } from "./startHostProcess";
export { startHostCluster, instanceIdFor } from "./startHostCluster";
export type { HostCluster, StartHostClusterOptions } from "./startHostCluster";
export { startStandInsProcess } from "./startStandInsProcess";
export type { StandInsProcess, StandInsStats } from "./startStandInsProcess";
export { LineCollector } from "./lineCollector";
export type { LinePredicate } from "./lineCollector";
export { runtimeDist, runtimeRoot, runtimeSource } from "./runtimePaths";
export { startCosmosTestServer, COSMOS_EMULATOR_KEY } from "./startCosmosTestServer";
export type { CosmosTestServer } from "./startCosmosTestServer";
export { percentile } from "./percentile";
export { freePort, freeStandInPorts } from "./freePorts";
export { throwawaySigningKey, LOCAL_API_APP_ID_URI, LOCAL_API_CLIENT_ID } from "../identity";
export type { IdentityService, MintOptions } from "../identity";
