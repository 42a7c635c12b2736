import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Vitest sets VITEST; Svelte 5 `mount()` needs the browser build of svelte under jsdom.
const underVitest = Boolean(process.env.VITEST);
const tauriDevHost = process.env.TAURI_DEV_HOST;

export default defineConfig({
  plugins: [svelte()],
  // Relative asset URLs: the bundle is served by Tauri's custom protocol, not from a web root.
  base: "./",
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_ENV_"],
  server: {
    port: 5173,
    strictPort: true,
    host: tauriDevHost || false,
    hmr: tauriDevHost ? { protocol: "ws", host: tauriDevHost, port: 5174 } : undefined,
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: Boolean(process.env.TAURI_ENV_DEBUG),
  },
  resolve: underVitest ? { conditions: ["browser"] } : {},
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
  },
});
