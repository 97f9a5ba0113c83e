/**
 * One jest run over the three packages of the repository: the app (functions/, shared/,
 * tests/), the local runtime (infra/local) and the tools. Tests that start a host run the
 * compiled output, so `npm test` builds first and the global set-up refuses stale output.
 * @type {import('jest').Config}
 */
module.exports = {
  globalSetup: "<rootDir>/tests/support/requireFreshBuild.js",
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      displayName: "app",
      testEnvironment: "node",
      roots: ["<rootDir>/functions", "<rootDir>/shared", "<rootDir>/tests"],
      testMatch: ["**/*.test.ts"],
      transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
      modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/.local/"],
    },
    "<rootDir>/infra/local",
    "<rootDir>/tools",
  ],
};
