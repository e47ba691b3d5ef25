import { EventEmitter } from "node:events";

export interface StoredAgentEvent {
  agent_id: string;
  seq: number;
  kind: string;
  data: Record<string, unknown>;
  at: string;
}

/** In-process fan-out of agent events after they are stored (SSE clients, the run executor). */
export class AgentEventBus extends EventEmitter<{ event: [StoredAgentEvent]; shutdown: [] }> {
  constructor() {
    super();
    // Many SSE clients may listen at once; each removes its listener on disconnect.
    this.setMaxListeners(0);
  }
}
