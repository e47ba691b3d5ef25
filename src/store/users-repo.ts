import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  is_root: number;
  created_at: number;
}

export class UsersRepo {
  constructor(private readonly db: Database) {}

  insert(u: UserRow): void {
    prepareCached(
      this.db,

      "INSERT INTO users (id, username, password_hash, is_root, created_at) VALUES (@id, @username, @password_hash, @is_root, @created_at)",
    ).run(u);
  }

  byId(id: string): UserRow | undefined {
    return prepareCached(this.db, "SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
  }

  byUsername(username: string): UserRow | undefined {
    return prepareCached(this.db, "SELECT * FROM users WHERE username = ?").get(username) as
      | UserRow
      | undefined;
  }

  hasRoot(): boolean {
    return prepareCached(this.db, "SELECT 1 FROM users WHERE is_root = 1").get() !== undefined;
  }

  list(): UserRow[] {
    return prepareCached(this.db, "SELECT * FROM users ORDER BY created_at, rowid").all() as UserRow[];
  }
}
