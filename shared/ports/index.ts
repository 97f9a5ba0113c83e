export * from "./clock";
export * from "./idGenerator";
export * from "./sagaControl";
export * from "./messagePublisher";
export * from "./healthProbe";
export * from "./orderRepository";
export * from "./catalogRepository";
export * from "./stepLog";
