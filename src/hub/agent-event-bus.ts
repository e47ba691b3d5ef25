import { EventEmitter } from "node:events";
import type { AgentEvent } from "../contracts/agent-events.js";

/** An agent event the hub stored: as the node sent it (`kind`, `data`) and parsed once (`event`). */
export interface StoredAgentEvent {
  agent_id: string;
  seq: number;
  kind: string;
  data: Record<string, unknown>;
  at: string;
  /** `data` as the JSON text stored (what SSE frames carry, without serializing it again). */
  data_json?: string;
  /** The event as the typed union (`unknown` for a kind or shape this hub does not know). */
  event: AgentEvent;
}

/** In-process fan-out of agent events after they are stored (SSE clients, the run executor). */
export class AgentEventBus extends EventEmitter<{ event: [StoredAgentEvent]; shutdown: [] }> {
  constructor() {
    super();
    // Many SSE clients may listen at once; each removes its listener on disconnect.
    this.setMaxListeners(0);
  }
}
