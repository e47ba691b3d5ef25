import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";

/**
 * A daemon's lifecycle: created -> starting -> running -> stopping -> stopped, or starting -> failed
 * (a failed start closes what it opened; stopping it again is allowed and harmless).
 */
export type DaemonState =
  | { status: "created" }
  | { status: "starting"; since: number }
  /** `address`: where it listens (the hub's REST URL, the node's gRPC host:port). */
  | { status: "running"; since: number; address: string }
  | { status: "stopping"; since: number }
  | { status: "stopped"; since: number }
  | { status: "failed"; since: number; error: string };
export type DaemonStatus = DaemonState["status"];

type Next = DaemonState extends infer S ? (S extends { since: number } ? Omit<S, "since"> : never) : never;

const ALLOWED: Readonly<Record<DaemonStatus, readonly DaemonStatus[]>> = {
  created: ["starting", "stopping"],
  starting: ["running", "failed", "stopping"],
  running: ["stopping"],
  stopping: ["stopped"],
  stopped: [],
  failed: ["stopping"],
};

/** The log line of entering each state (`hub listening`, `node stopped`, …). */
const MESSAGE: Readonly<Record<DaemonStatus, string>> = {
  created: "created",
  starting: "starting",
  running: "listening",
  stopping: "stopping",
  stopped: "stopped",
  failed: "failed to start",
};

/** Holds a daemon's state; `set` is the one way it changes: it refuses an illegal step and logs each one. */
export class DaemonLifecycle {
  private current: DaemonState = { status: "created" };

  constructor(
    /** `hub` or `node`: names the daemon in log lines and errors. */
    private readonly name: string,
    /** A pino child logger carrying the daemon's component. */
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  get state(): DaemonState {
    return this.current;
  }

  get status(): DaemonStatus {
    return this.current.status;
  }

  /** Moves to `next` (stamped with the clock); `fields` go into the transition's log line. */
  set(next: Next, fields: Record<string, unknown> = {}): void {
    const from = this.current.status;
    if (!ALLOWED[from].includes(next.status)) {
      throw new Error(`${this.name} cannot go from ${from} to ${next.status}`);
    }
    this.current = { ...next, since: this.clock.now() } as DaemonState;
    const line = { from, state: next.status, ...fields };
    const msg = `${this.name} ${MESSAGE[next.status]}`;
    if (next.status === "failed") this.logger.error({ ...line, error: next.error }, msg);
    else this.logger.info(line, msg);
  }
}
