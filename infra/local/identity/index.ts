export * from "./identityService";
export * from "./mintToken";
export * from "./signingKey";
