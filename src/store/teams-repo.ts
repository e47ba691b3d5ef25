import type { TeamSpec } from "../domain/team-spec.js";
import { isConstraintViolation } from "./constraint-error.js";
import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/** A team as the hub works with it: the spec decoded (it was validated before it was stored). */
export interface Team {
  id: string;
  owner_id: string;
  name: string;
  spec: TeamSpec;
  version: number;
  /** `started` while the team's member agents should be running (survives hub restarts). */
  runtime_status: "started" | "stopped";
  created_at: number;
  updated_at: number;
}

export function decodeTeam(row: TeamRow): Team {
  const { spec_json, runtime_status, ...rest } = row;
  return {
    ...rest,
    spec: JSON.parse(spec_json) as TeamSpec,
    runtime_status: runtime_status === "started" ? "started" : "stopped",
  };
}

/** Why a write of a team was refused by the database. */
export type TeamWriteResult = "ok" | "name_taken" | "version_changed";

/** Another team has the name (the unique index on teams.name). */
const isNameTaken = (err: unknown) =>
  isConstraintViolation(err, "unique", { table: "teams", column: "name" });

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

  /** Inserts a new team; a name another team has is `name_taken` (the unique index decides). */
  create(t: Omit<Team, "runtime_status">): TeamWriteResult {
    const { spec, ...rest } = t;
    try {
      this.insert({ ...rest, spec_json: JSON.stringify(spec) });
      return "ok";
    } catch (err) {
      if (isNameTaken(err)) return "name_taken";
      throw err;
    }
  }

  /** The decoded team, or undefined. */
  get(id: string): Team | undefined {
    const row = this.byId(id);
    return row && decodeTeam(row);
  }

  /** Compare-and-set on `version` with the spec encoded here; a name another team has is `name_taken`. */
  updateTeam(
    id: string,
    expectedVersion: number,
    name: string,
    spec: TeamSpec,
    now: number,
  ): TeamWriteResult {
    try {
      return this.update(id, expectedVersion, name, JSON.stringify(spec), now) ? "ok" : "version_changed";
    } catch (err) {
      if (isNameTaken(err)) return "name_taken";
      throw err;
    }
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
