import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The console is served by the hub at `/` (same origin as the API), so the build uses absolute
// asset paths and nothing from a CDN. `npm run dev` proxies the API to a hub on 127.0.0.1:8080.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080", "/health": "http://127.0.0.1:8080" },
  },
});
