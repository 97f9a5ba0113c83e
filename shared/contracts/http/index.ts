export * from "./common";
export * from "./orders";
export * from "./products";
export * from "./health";
export * from "./problemDetails";
export * from "./zodProblem";
