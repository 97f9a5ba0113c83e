export * from "./domainError";
export * from "./money";
export * from "./orderStatus";
export * from "./order";
export * from "./orderErrors";
export * from "./createOrder";
export * from "./transitionOrder";
export * from "./orderDocument";
