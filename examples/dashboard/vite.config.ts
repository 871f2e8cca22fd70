/**
 * Vite for the dashboard. The build uses relative paths (`base: "./"`), so the server can serve `dist/` under any
 * prefix (`/app/`). The dev server proxies the API to a running `ntm serve` (`NTM_API`, default port 8080), so the
 * page stays same-origin and needs no CORS.
 */
import { defineConfig } from "vite"

const api = process.env.NTM_API ?? "http://127.0.0.1:8080"

/** The paths of the HTTP contract the page calls (see packages/http/src/Api.ts). */
const apiPaths = ["/units", "/catalogs", "/commitments", "/dossiers", "/evidence", "/events", "/health", "/ready"]

export default defineConfig({
  base: "./",
  // The origins the page may send its token to besides its own (src/Origin.ts): set here, never from the URL.
  define: { __NTM_API_ORIGINS__: JSON.stringify(process.env.NTM_API_ORIGINS ?? "") },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1500
  },
  server: {
    proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: api, changeOrigin: true }]))
  },
  preview: {
    proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: api, changeOrigin: true }]))
  }
})
