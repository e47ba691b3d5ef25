import type { Config } from "../config/config-schema.js";
import type { Database } from "../store/database.js";
import { HistoryRepo } from "../store/history-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";

const DAY_MS = 86_400_000;
const INTERVAL_MS = 3_600_000;

/**
 * `[history]`: deletes run events of runs finished more than `event_retention_days` ago and agent
 * events older than that, `delete_batch_size` rows per transaction, optionally VACUUMing afterwards.
 * Runs at start and hourly. Runs, steps and their outcomes are kept; only the event logs age out.
 */
export class HistoryCleanup {
  private timer: NodeJS.Timeout | undefined;
  private readonly repo: HistoryRepo;

  constructor(
    db: Database,
    private readonly config: Config["history"],
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
    const cutoff = this.clock.now() - this.config.event_retention_days * DAY_MS;
    const batch = this.config.delete_batch_size;
    let total = 0;
    for (const del of [
      () => this.repo.deleteFinishedRunEvents(cutoff, batch),
      () => this.repo.deleteAgentEvents(cutoff, batch),
    ]) {
      for (let n = del(); n > 0; n = n === batch ? del() : 0) total += n;
    }
    if (total > 0) {
      this.logger.info(
        { component: "history", deleted: total, retention_days: this.config.event_retention_days },
        "old events deleted",
      );
      if (this.config.vacuum_on_cleanup) this.repo.vacuum();
    }
    return total;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
