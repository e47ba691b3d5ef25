import { type ChildProcess, spawn } from "node:child_process";
import { Readable, Writable } from "node:stream";
import * as acp from "@agentclientprotocol/sdk";
import type * as unstable from "@agentclientprotocol/sdk/unstable";
import type { RealAgentEnv } from "./real-agent-env.js";

/**
 * session/new's answer with the legacy `models` field codex and gemini still send (the SDK's schema
 * moved model choice to config options; claude offers only the "model" config option).
 */
export type NewSessionResult = acp.NewSessionResponse & {
  models?: {
    currentModelId: string;
    availableModels: { modelId: string; name: string; description?: string }[];
  };
};

/** A turn's result: the prompt response and the agent's message text streamed during it. */
export interface TurnResult {
  /** With the unstable `usage` (tokens of this turn) that claude and codex report. */
  response: unstable.PromptResponse;
  text: string;
  updates: acp.SessionUpdate[];
}

/**
 * One real ACP agent process driven directly over its stdio with the ACP SDK's client connection
 * (no agenthub in between). Records every session update, permission request and stderr line;
 * answers a permission request with the option whose kind is `permissionKind` (allow_once by default).
 */
export class RealAcpAgent {
  readonly updates: acp.SessionNotification[] = [];
  readonly permissionRequests: acp.RequestPermissionRequest[] = [];
  permissionKind: acp.PermissionOptionKind = "allow_once";
  stderr = "";
  readonly connection: acp.ClientConnection;
  private readonly child: ChildProcess;
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(agentEnv: RealAgentEnv, cwd: string) {
    this.child = spawn(agentEnv.command, agentEnv.args, {
      cwd,
      env: agentEnv.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true, // its own process group: close() ends the agent's helpers too
    });
    this.exit = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => resolve({ code, signal }));
      this.child.once("error", () => resolve({ code: null, signal: null })); // never started
    });
    this.child.stdin?.on("error", () => {}); // EPIPE once the agent is gone: the request fails instead
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (d: string) => {
      this.stderr += d;
    });
    const app = acp
      .client({ name: "agenthub-real-agent-test" })
      .onNotification(acp.methods.client.session.update, ({ params }) => {
        this.updates.push(params);
      })
      .onRequest(acp.methods.client.session.requestPermission, ({ params }) => {
        this.permissionRequests.push(params);
        const option = params.options.find((o) => o.kind === this.permissionKind);
        if (!option) return { outcome: { outcome: "cancelled" } };
        return { outcome: { outcome: "selected", optionId: option.optionId } };
      });
    this.connection = app.connect(
      acp.ndJsonStream(
        Writable.toWeb(this.child.stdin!) as WritableStream<Uint8Array>,
        Readable.toWeb(this.child.stdout!) as ReadableStream<Uint8Array>,
      ),
    );
  }

  static spawn(agentEnv: RealAgentEnv, cwd: string): RealAcpAgent {
    return new RealAcpAgent(agentEnv, cwd);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  initialize(): Promise<acp.InitializeResponse> {
    return this.connection.agent.request(acp.methods.agent.initialize, {
      protocolVersion: acp.PROTOCOL_VERSION,
      clientCapabilities: {},
    });
  }

  newSession(cwd: string): Promise<NewSessionResult> {
    return this.connection.agent.request(acp.methods.agent.session.new, { cwd, mcpServers: [] });
  }

  setMode(sessionId: string, modeId: string): Promise<acp.SetSessionModeResponse> {
    return this.connection.agent.request(acp.methods.agent.session.setMode, { sessionId, modeId });
  }

  /** One prompt turn; the text is the agent_message_chunk text sent during it. */
  async prompt(sessionId: string, text: string): Promise<TurnResult> {
    const from = this.updates.length;
    const response = await this.connection.agent.request(acp.methods.agent.session.prompt, {
      sessionId,
      prompt: [{ type: "text", text }],
    });
    const updates = this.updates.slice(from).map((n) => n.update);
    const said = updates
      .map((u) =>
        u.sessionUpdate === "agent_message_chunk" && u.content.type === "text" ? u.content.text : "",
      )
      .join("");
    return { response, text: said, updates };
  }

  /** Ends the agent's process group (SIGTERM, then SIGKILL after 3 s) and waits for its exit. */
  async close(): Promise<void> {
    this.connection.close();
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // already gone
      }
    };
    signalGroup("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 3000);
    await this.exit;
    clearTimeout(timer);
    signalGroup("SIGKILL"); // helpers that ignored SIGTERM after the leader left
  }
}
