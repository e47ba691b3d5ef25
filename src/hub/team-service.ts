import { EventEmitter } from "node:events";
import { type TeamSpec, validateTeamInput } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import type { Database } from "../store/database.js";
import { type TeamRow, TeamsRepo } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import { assertTeamVisible, iso } from "./access.js";
import type { Principal } from "./auth-service.js";
import { maskTeamSpec, restoreMemberEnv } from "./env-view.js";

export interface TeamView {
  id: string;
  name: string;
  owner_id: string;
  spec: TeamSpec;
  version: number;
  created_at: string;
  updated_at: string;
}

export function teamView(t: TeamRow): TeamView {
  return {
    id: t.id,
    name: t.name,
    owner_id: t.owner_id,
    spec: maskTeamSpec(JSON.parse(t.spec_json) as TeamSpec),
    version: t.version,
    created_at: iso(t.created_at)!,
    updated_at: iso(t.updated_at)!,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";
}

/** Team definitions with optimistic locking. Emits `changed` (team id) after an update. */
export class TeamService extends EventEmitter<{
  changed: [teamId: string, before: TeamSpec, after: TeamSpec];
}> {
  readonly repo: TeamsRepo;
  /** Checks a valid spec must also pass before it is saved (e.g. who may give a member its own command). */
  readonly specGuards: ((ownerId: string, spec: TeamSpec) => Promise<void>)[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    super();
    this.repo = new TeamsRepo(db);
  }

  async create(p: Principal, body: Record<string, unknown>): Promise<TeamView> {
    const { name, spec } = validateTeamInput(body.name, restoreMemberEnv(body.spec, undefined));
    if (this.repo.byName(name)) throw new AppError("TEAM_NAME_EXISTS");
    for (const guard of this.specGuards) await guard(p.user_id, spec);
    const now = this.clock.now();
    const row: TeamRow = {
      id: newId("team"),
      owner_id: p.user_id,
      name,
      spec_json: JSON.stringify(spec),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    try {
      this.repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError("TEAM_NAME_EXISTS");
      throw err;
    }
    return teamView(row);
  }

  list(p: Principal): TeamView[] {
    return this.repo.list(p.is_root ? null : p.user_id).map(teamView);
  }

  row(p: Principal, id: string): TeamRow {
    return assertTeamVisible(p, this.repo.byId(id));
  }

  get(p: Principal, id: string): TeamView {
    return teamView(this.row(p, id));
  }

  /**
   * Compare-and-set on the team's version. `expected_updated_at` works too: updated_at is kept strictly
   * increasing per team (at least +1 ms per write), so two writes in the same millisecond differ.
   */
  async update(p: Principal, id: string, body: Record<string, unknown>): Promise<TeamView> {
    const current = this.row(p, id);
    const expected = this.expectedVersion(current, body);
    // "(set)" (what a GET shows for a member env value) keeps the stored value.
    const stored = JSON.parse(current.spec_json) as TeamSpec;
    const { name, spec } = validateTeamInput(body.name ?? current.name, restoreMemberEnv(body.spec, stored));
    const other = this.repo.byName(name);
    if (other && other.id !== id) throw new AppError("TEAM_NAME_EXISTS");
    // The write below is a compare-and-set on the version, so awaiting here cannot lose an edit.
    for (const guard of this.specGuards) await guard(current.owner_id, spec);
    const now = Math.max(this.clock.now(), current.updated_at + 1);
    let ok: boolean;
    try {
      ok = expected === current.version && this.repo.update(id, expected, name, JSON.stringify(spec), now);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError("TEAM_NAME_EXISTS");
      throw err;
    }
    if (!ok) throw new AppError("TEAM_CHANGED", { current_version: this.repo.byId(id)?.version });
    const updated = this.repo.byId(id)!;
    this.emit("changed", id, stored, spec);
    return teamView(updated);
  }

  private expectedVersion(current: TeamRow, body: Record<string, unknown>): number {
    if (typeof body.expected_version === "number") return body.expected_version;
    if (typeof body.expected_updated_at === "string") {
      const ms = Date.parse(body.expected_updated_at);
      if (Number.isNaN(ms)) {
        throw new AppError("BAD_REQUEST", undefined, {
          message: "expected_updated_at must be an ISO timestamp",
        });
      }
      // A stale timestamp maps to a version that cannot match.
      return ms === current.updated_at ? current.version : -1;
    }
    throw new AppError("BAD_REQUEST", undefined, {
      message: "expected_updated_at (or expected_version) is required; GET the team first",
    });
  }

  delete(p: Principal, id: string): void {
    this.row(p, id);
    this.db.transaction(() => this.repo.delete(id))();
  }
}
