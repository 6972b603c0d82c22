// Lint configuration: ESLint's recommended rules and typescript-eslint's recommended rules for the TypeScript
// sources, tests, scripts and benchmarks. Formatting is prettier's job (.prettierrc), not ESLint's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/out/**",
      ".scratch/**",
      "test-output/**",
      "test/fixtures/**",
      "examples/**",
      "test/oracle/cases/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
      // Parsers and the redaction code match control characters on purpose.
      "no-control-regex": "off",
    },
  },
  {
    files: ["**/*.cjs", "bin/**/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/e2e/**/*.cjs", "test/e2e/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
