/// <reference types="vitest/config" />
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The built app is served by the edge (nginx) from the same origin as the API. During
// development `vite` / `vite preview` proxy /v1 to wherever the API answers.
const api = process.env.TICKETING_API_URL ?? "http://127.0.0.1:28080";

const COMPRESSIBLE = /\.(js|css|svg|html)$/;

/** A `.gz` beside every compressible file of the bundle, for the edge's `gzip_static`: the
 * storefront's script is 388 KB, ~120 KB gzipped, compressed once here rather than by nginx on
 * every first visit of sale day. */
function precompress(): Plugin {
  return {
    name: "ticketing-precompress",
    apply: "build",
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      for (const name of Object.keys(bundle).filter((file) => COMPRESSIBLE.test(file))) {
        const path = join(dir, name);
        const content = readFileSync(path);
        if (content.length >= 1024) writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

/** Swagger UI for the API documentation at /docs (the gateway's page asks for these): served
 * from this origin at a fixed path, the version the lockfile pins, rather than from a CDN at a
 * floating version (on the origin where the scanner keeps its token; and a closed network
 * showed a blank page). */
export const SWAGGER_UI = ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"];

function swaggerUi(): Plugin {
  return {
    name: "ticketing-swagger-ui",
    apply: "build",
    generateBundle() {
      for (const file of SWAGGER_UI) {
        const source = readFileSync(join("node_modules", "swagger-ui-dist", file));
        // not under assets/ (cached for a year by name): these names stay when the version moves
        this.emitFile({ type: "asset", fileName: `docs-assets/${file}`, source });
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), swaggerUi(), precompress()],
  build: {
    outDir: process.env.TICKETING_WEB_OUT_DIR ?? "dist",
    emptyOutDir: true,
    sourcemap: false, // the source of every page is not for strangers (`npm run dev` has maps)
  },
  server: { proxy: { "/v1": api } },
  preview: { proxy: { "/v1": api } },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
