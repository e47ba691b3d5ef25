import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the real agents run only in `npm run test:agents` (vitest.agents.config.ts)
    exclude: [...configDefaults.exclude, "test/real-agents/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    allowOnly: false,
  },
});
