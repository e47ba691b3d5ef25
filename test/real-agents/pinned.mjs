// The pinned real ACP agents of the opt-in suite and the cache folder they are installed into.
// Plain JS so that both the install script (node, no build) and the tests (vitest) import it.
import { homedir } from "node:os";
import { join } from "node:path";

/** @type {ReadonlyArray<{ provider: "claude" | "codex" | "gemini"; name: string; version: string }>} */
export const realAgentPackages = Object.freeze([
  { provider: "claude", name: "@agentclientprotocol/claude-agent-acp", version: "0.101.0" },
  { provider: "codex", name: "@agentclientprotocol/codex-acp", version: "2.6.0" },
  { provider: "gemini", name: "@google/gemini-cli", version: "0.61.0" },
]);

/** The cache folder, one per set of pinned versions: ~/.cache/agenthub/real-agents/<versions>. */
export function realAgentsDir() {
  const override = process.env.AGENTHUB_REAL_AGENTS_DIR;
  if (override) return override;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const key = realAgentPackages.map((p) => `${p.provider}-${p.version}`).join("_");
  return join(base, "agenthub", "real-agents", key);
}
