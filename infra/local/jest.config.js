/** The local runtime's tests; run from the repository root with `npm test`. @type {import('jest').Config} */
module.exports = {
  displayName: "local-runtime",
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/.local/"],
  testTimeout: 60000,
};
