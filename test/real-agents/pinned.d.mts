export type RealAgentProvider = "claude" | "codex" | "gemini";

export interface RealAgentPackage {
  provider: RealAgentProvider;
  name: string;
  version: string;
}

export declare const realAgentPackages: readonly RealAgentPackage[];

/** The cache folder the pinned agents are installed into (AGENTHUB_REAL_AGENTS_DIR overrides it). */
export declare function realAgentsDir(): string;
