/** Fault injection in the stand-ins: the injector, its control API and the CLI's parser. */
export { FaultInjector } from "./faultInjector";
export type { FaultCounts, FaultSnapshot, FaultInjectorOptions } from "./faultInjector";
export type { FaultEvent, FaultTarget } from "./faultLog";
export type { HostControl } from "./hostFaults";
export { startFaultControlServer } from "./faultControlServer";
export type { FaultControlServer } from "./faultControlServer";
export { parseFaultArgs, FAULT_USAGE } from "./faultArgs";
export type { FaultRequest } from "./faultArgs";
export { parseFaultDuration, formatFaultDuration } from "./faultDuration";
export { FAULTS_PORT_SETTING, DEFAULT_FAULTS_PORT } from "./faultsPort";
