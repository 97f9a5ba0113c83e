export * from "./http";
export * from "./messages";
