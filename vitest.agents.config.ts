import { defineConfig } from "vitest/config";

/**
 * The opt-in suite against the real ACP agents (`npm run test:agents`, which installs them first into
 * a cache folder outside the project's dependencies). The default `npm test` excludes these files.
 */
export default defineConfig({
  test: {
    include: ["test/real-agents/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 30_000,
    pool: "forks",
    allowOnly: false,
  },
});
