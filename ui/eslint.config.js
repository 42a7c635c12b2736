// ESLint 9 flat config: JS + typescript-eslint + eslint-plugin-svelte. Zero warnings allowed.
import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import svelteConfig from "./svelte.config.js";

// Components reach the Rust core only through src/lib/ipc/index.ts.
const ipcSeam = {
  paths: [
    { name: "@tauri-apps/api/core", message: "Use the IPC seam: import { ipc } from 'src/lib/ipc'." },
  ],
  patterns: [
    { group: ["**/bindings", "**/bindings.ts"], message: "Only src/lib/ipc/index.ts imports the generated bindings." },
  ],
};

export default ts.config(
  { ignores: ["dist/", "node_modules/", "src/lib/ipc/bindings.ts"] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      "no-restricted-imports": ["error", ipcSeam],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts", "**/*.svelte.js"],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: [".svelte"],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    files: ["src/lib/ipc/index.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
