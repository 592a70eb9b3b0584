/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The built app is served by the edge (nginx) from the same origin as the API. During
// development `vite` / `vite preview` proxy /v1 to wherever the API answers.
const api = process.env.TICKETING_API_URL ?? "http://127.0.0.1:28080";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: process.env.TICKETING_WEB_OUT_DIR ?? "dist",
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { proxy: { "/v1": api } },
  preview: { proxy: { "/v1": api } },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
