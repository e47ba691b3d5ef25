import type { Database } from "../store/database.js";
import { HistoryRepo } from "../store/history-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";

const DAY_MS = 86_400_000;
const INTERVAL_MS = 3_600_000;

/** `[history]`, compiled by the app. */
export interface HistoryOptions {
  /** `event_retention_days` in ms. */
  readonly retentionMs: number;
  readonly deleteBatchSize: number;
  readonly vacuumOnCleanup: boolean;
}

/**
 * `[history]`: deletes run events of runs finished more than the retention ago and agent events
 * older than that, `delete_batch_size` rows per transaction, optionally VACUUMing afterwards.
 * Runs at start and hourly. Runs, steps and their outcomes are kept; only the event logs age out.
 */
export class HistoryCleanup {
  private timer: NodeJS.Timeout | undefined;
  private readonly repo: HistoryRepo;

  constructor(
    db: Database,
    private readonly opts: HistoryOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.repo = new HistoryRepo(db);
  }

  start(): void {
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Returns the number of rows deleted. */
  runOnce(): number {
    const cutoff = this.clock.now() - this.opts.retentionMs;
    const batch = this.opts.deleteBatchSize;
    let total = 0;
    for (const del of [
      () => this.repo.deleteFinishedRunEvents(cutoff, batch),
      () => this.repo.deleteAgentEvents(cutoff, batch),
    ]) {
      for (let n = del(); n > 0; n = n === batch ? del() : 0) total += n;
    }
    if (total > 0) {
      this.logger.info(
        { component: "history", deleted: total, retention_days: this.opts.retentionMs / DAY_MS },
        "old events deleted",
      );
      if (this.opts.vacuumOnCleanup) this.repo.vacuum();
    }
    return total;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
