import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export interface TeamRow {
  id: string;
  owner_id: string;
  name: string;
  spec_json: string;
  version: number;
  /** `started` while the team's member agents should be running (survives hub restarts). */
  runtime_status?: string;
  created_at: number;
  updated_at: number;
}

export class TeamsRepo {
  constructor(private readonly db: Database) {}

  insert(t: TeamRow): void {
    prepareCached(
      this.db,

      `INSERT INTO teams (id, owner_id, name, spec_json, version, created_at, updated_at)
         VALUES (@id, @owner_id, @name, @spec_json, @version, @created_at, @updated_at)`,
    ).run(t);
  }

  byId(id: string): TeamRow | undefined {
    return prepareCached(this.db, "SELECT * FROM teams WHERE id = ?").get(id) as TeamRow | undefined;
  }

  byName(name: string): TeamRow | undefined {
    return prepareCached(this.db, "SELECT * FROM teams WHERE name = ?").get(name) as TeamRow | undefined;
  }

  /** Owner's teams, or every team when `ownerId` is null (root). */
  list(ownerId: string | null): TeamRow[] {
    return ownerId === null
      ? (prepareCached(this.db, "SELECT * FROM teams ORDER BY created_at, rowid").all() as TeamRow[])
      : (this.db
          .prepare("SELECT * FROM teams WHERE owner_id = ? ORDER BY created_at, rowid")
          .all(ownerId) as TeamRow[]);
  }

  /** Compare-and-set on `version`: false when another write got there first. */
  update(id: string, expectedVersion: number, name: string, specJson: string, now: number): boolean {
    return (
      prepareCached(
        this.db,

        "UPDATE teams SET name = ?, spec_json = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
      ).run(name, specJson, now, id, expectedVersion).changes === 1
    );
  }

  setRuntimeStatus(id: string, status: "started" | "stopped"): void {
    prepareCached(this.db, "UPDATE teams SET runtime_status = ? WHERE id = ?").run(status, id);
  }

  withRuntimeStarted(): TeamRow[] {
    return prepareCached(this.db, "SELECT * FROM teams WHERE runtime_status = 'started'").all() as TeamRow[];
  }

  delete(id: string): boolean {
    return prepareCached(this.db, "DELETE FROM teams WHERE id = ?").run(id).changes === 1;
  }
}
