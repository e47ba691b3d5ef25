import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export class SessionsRepo {
  constructor(private readonly db: Database) {}

  insert(s: Omit<SessionRow, "revoked_at">): void {
    prepareCached(
      this.db,

      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (@token_hash, @user_id, @created_at, @expires_at)",
    ).run(s);
  }

  byTokenHash(tokenHash: string): SessionRow | undefined {
    return prepareCached(this.db, "SELECT * FROM sessions WHERE token_hash = ?").get(tokenHash) as
      | SessionRow
      | undefined;
  }

  revoke(tokenHash: string, at: number): boolean {
    return (
      prepareCached(
        this.db,
        "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
      ).run(at, tokenHash).changes > 0
    );
  }

  deleteExpired(now: number): number {
    return prepareCached(this.db, "DELETE FROM sessions WHERE expires_at < ?").run(now).changes;
  }
}
