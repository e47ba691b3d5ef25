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

/** Why a write of a team was refused by the database. */
export type TeamWriteResult = "ok" | "name_taken" | "version_changed";

interface TeamRow extends Omit<Team, "spec" | "runtime_status"> {
  spec_json: string;
  runtime_status: string;
}

function decodeTeam(row: TeamRow): Team {
  const { spec_json, runtime_status, ...rest } = row;
  return {
    ...rest,
    spec: JSON.parse(spec_json) as TeamSpec,
    runtime_status: runtime_status === "started" ? "started" : "stopped",
  };
}

const decodeOne = (row: unknown) => (row === undefined ? undefined : decodeTeam(row as TeamRow));
const decodeAll = (rows: unknown[]) => (rows as TeamRow[]).map(decodeTeam);

/** Another team has the name (the unique index on teams.name). */
const isNameTaken = (err: unknown) =>
  isConstraintViolation(err, "unique", { table: "teams", column: "name" });

export class TeamsRepo {
  constructor(private readonly db: Database) {}

  /** Inserts a new team (runtime stopped); a name another team has is `name_taken` (the unique index decides). */
  create(t: Omit<Team, "runtime_status">): TeamWriteResult {
    const { spec, ...rest } = t;
    try {
      prepareCached(
        this.db,

        `INSERT INTO teams (id, owner_id, name, spec_json, version, created_at, updated_at)
           VALUES (@id, @owner_id, @name, @spec_json, @version, @created_at, @updated_at)`,
      ).run({ ...rest, spec_json: JSON.stringify(spec) });
      return "ok";
    } catch (err) {
      if (isNameTaken(err)) return "name_taken";
      throw err;
    }
  }

  /** The team, or undefined. */
  get(id: string): Team | undefined {
    return decodeOne(prepareCached(this.db, "SELECT * FROM teams WHERE id = ?").get(id));
  }

  byName(name: string): Team | undefined {
    return decodeOne(prepareCached(this.db, "SELECT * FROM teams WHERE name = ?").get(name));
  }

  /** Owner's teams, or every team when `ownerId` is null (root). */
  list(ownerId: string | null): Team[] {
    return decodeAll(
      ownerId === null
        ? prepareCached(this.db, "SELECT * FROM teams ORDER BY created_at, rowid").all()
        : prepareCached(this.db, "SELECT * FROM teams WHERE owner_id = ? ORDER BY created_at, rowid").all(
            ownerId,
          ),
    );
  }

  /**
   * Compare-and-set on `version` (false when another write got there first: `version_changed`), with the
   * spec encoded here; a name another team has is `name_taken`.
   */
  updateTeam(
    id: string,
    expectedVersion: number,
    name: string,
    spec: TeamSpec,
    now: number,
  ): TeamWriteResult {
    try {
      const changed =
        prepareCached(
          this.db,

          "UPDATE teams SET name = ?, spec_json = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        ).run(name, JSON.stringify(spec), now, id, expectedVersion).changes === 1;
      return changed ? "ok" : "version_changed";
    } catch (err) {
      if (isNameTaken(err)) return "name_taken";
      throw err;
    }
  }

  setRuntimeStatus(id: string, status: "started" | "stopped"): void {
    prepareCached(this.db, "UPDATE teams SET runtime_status = ? WHERE id = ?").run(status, id);
  }

  withRuntimeStarted(): Team[] {
    return decodeAll(prepareCached(this.db, "SELECT * FROM teams WHERE runtime_status = 'started'").all());
  }

  delete(id: string): boolean {
    return prepareCached(this.db, "DELETE FROM teams WHERE id = ?").run(id).changes === 1;
  }
}
