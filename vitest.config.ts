import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the real agents run only in `npm run test:agents` (vitest.agents.config.ts)
    exclude: [...configDefaults.exclude, "test/real-agents/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most test files wait on real processes (hub, nodes, agents, git, chromium) rather than compute:
    // vitest's default (cores - 1: one worker on 2 cores) left the CPU idle half the time. 1.5x the
    // cores took the suite from 13.5 to 6.5 minutes on 2 cores.
    maxWorkers: Math.max(2, Math.ceil(availableParallelism() * 1.5)),
    allowOnly: false,
  },
});
