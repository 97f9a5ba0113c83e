export * from "./domainError";
export * from "./money";
export * from "./orderStatus";
export * from "./order";
