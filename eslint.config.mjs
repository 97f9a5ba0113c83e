// Type-aware lint over the TypeScript sources; Prettier owns formatting.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

/** What ships to Azure must not import: workspace packages, other trees, test helpers. */
const APP_FENCE = [
  {
    group: ["@order-processing/*"],
    message:
      "The app must not import a workspace package (local runtime, tools): they never ship to Azure.",
  },
  {
    group: ["**/infra/**", "**/tools/**", "**/tests/**"],
    message:
      "The app must not import the local runtime, the tools or the scenario tests: they never ship to Azure.",
  },
  {
    group: ["**/testing", "**/testing/**"],
    message: "Only tests import test helpers (testing/ folders are not compiled into the app).",
  },
];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      ".local/**",
      "**/dist/**",
      ".package/**",
      "coverage/**",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    // The fence: what ships to Azure (functions/, shared/) never imports the local runtime,
    // the tools, the scenario tests or a test helper, so none of them can end up in the
    // package or be needed at run time in Azure.
    files: ["functions/**/*.ts", "shared/**/*.ts"],
    ignores: ["**/*.test.ts", "**/testing/**"],
    rules: { "no-restricted-imports": ["error", { patterns: APP_FENCE }] },
  },
  {
    // The layers: the domain, the ports, the HTTP handlers and the saga participants reach
    // storage, email, secrets and identity only through ports; the SDK clients live in
    // shared/adapters and are built in shared/composition. (ESLint replaces a rule's options
    // per block, so the fence above is repeated here.)
    files: [
      "shared/domain/**/*.ts",
      "shared/ports/**/*.ts",
      "shared/handlers/**/*.ts",
      "shared/workers/**/*.ts",
    ],
    ignores: ["**/*.test.ts", "**/testing/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...APP_FENCE,
            {
              group: [
                "@azure/cosmos",
                "@azure/communication-email",
                "@azure/keyvault-secrets",
                "@azure/identity",
                "@azure/data-tables",
                "@azure/service-bus",
              ],
              message:
                "Use cases reach Azure through a port in shared/ports; the SDK belongs in shared/adapters.",
            },
            {
              group: ["**/composition/**"],
              message: "Composition builds the use cases; a use case never imports it.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "tests/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  prettier,
);
