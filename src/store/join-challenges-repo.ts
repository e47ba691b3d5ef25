import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export interface JoinChallengeRow {
  id: string;
  token_hash: string;
  pin_hash: string;
  grants_root: number;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  failed_attempts: number;
  used_at: number | null;
  burned_at: number | null;
}

export class JoinChallengesRepo {
  constructor(private readonly db: Database) {}

  insert(c: Omit<JoinChallengeRow, "failed_attempts" | "used_at" | "burned_at">): void {
    prepareCached(
      this.db,

      `INSERT INTO join_challenges (id, token_hash, pin_hash, grants_root, created_by, created_at, expires_at)
         VALUES (@id, @token_hash, @pin_hash, @grants_root, @created_by, @created_at, @expires_at)`,
    ).run(c);
  }

  byTokenHash(tokenHash: string): JoinChallengeRow | undefined {
    return prepareCached(this.db, "SELECT * FROM join_challenges WHERE token_hash = ?").get(tokenHash) as
      | JoinChallengeRow
      | undefined;
  }

  /** Counts a wrong PIN; burns the challenge at `maxAttempts`. Returns the new count. */
  recordFailure(id: string, maxAttempts: number, now: number): number {
    const row = prepareCached(
      this.db,

      `UPDATE join_challenges SET failed_attempts = failed_attempts + 1,
           burned_at = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE burned_at END
         WHERE id = ? RETURNING failed_attempts`,
    ).get(maxAttempts, now, id) as { failed_attempts: number } | undefined;
    return row?.failed_attempts ?? 0;
  }

  /** Marks the challenge used; false if someone else used it first. */
  markUsed(id: string, now: number): boolean {
    return (
      prepareCached(
        this.db,

        "UPDATE join_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL AND burned_at IS NULL",
      ).run(now, id).changes > 0
    );
  }

  hasLiveRootChallenge(now: number): boolean {
    return (
      prepareCached(
        this.db,

        "SELECT 1 FROM join_challenges WHERE grants_root = 1 AND used_at IS NULL AND burned_at IS NULL AND expires_at > ?",
      ).get(now) !== undefined
    );
  }
}
