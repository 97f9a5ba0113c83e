export * from "./paymentGateway";
export { createSimulatedGateway, SIMULATED_TOKENS, FLAKY_FAILURES } from "./simulatedGateway";
export { createResilientGateway, DEFAULT_RESILIENCE } from "./resilientGateway";
export type { ResilienceOptions } from "./resilientGateway";
export { CircuitBreaker } from "./circuitBreaker";
