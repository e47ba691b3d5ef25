import { EventEmitter } from "node:events";
import { BUILTIN_PROVIDERS, type TeamSpec, validateTeamInput } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import type { Database } from "../store/database.js";
import { type Team, TeamsRepo } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import { assertTeamVisible } from "./access.js";
import type { Principal } from "./auth-service.js";
import { restoreMemberEnv } from "./env-view.js";

export type { Team } from "../store/teams-repo.js";

/**
 * A team spec as submitted: any JSON value. It has no static type on purpose: the domain's
 * validateTeamInput is its schema, and it reports every problem at its path.
 */
export type SubmittedSpec = unknown;

export interface CreateTeam {
  /** Required; the domain reports a missing or blank name with the contract's message. */
  name: string | undefined;
  spec: SubmittedSpec;
}

/** Which version of the team an edit was made against (the optimistic lock). */
export type ExpectedVersion = { version: number } | { updated_at: string };

export interface UpdateTeam {
  /** Unchanged when undefined. */
  name?: string | undefined;
  /** The whole new spec (an edit replaces it); `"(set)"` member env values keep the stored value. */
  spec: SubmittedSpec;
  /** Required: an edit without it is refused (GET the team first). */
  expected: ExpectedVersion | undefined;
}

/** Team definitions with optimistic locking. Emits `changed` (team id) after an update. */
export class TeamService extends EventEmitter<{
  changed: [teamId: string, before: TeamSpec, after: TeamSpec];
}> {
  readonly repo: TeamsRepo;
  /** Checks a valid spec must also pass before it is saved (e.g. who may give a member its own command). */
  readonly specGuards: ((ownerId: string, spec: TeamSpec) => Promise<void>)[] = [];
  /**
   * Providers a member's agent may name beyond the built-in ones: the hub's own
   * `[agents.providers.*]` (set by the daemon). Nodes report theirs only when asked, so a provider
   * configured on a remote node alone must be configured on the hub too.
   */
  configuredProviders: readonly string[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    super();
    this.repo = new TeamsRepo(db);
  }

  /** Every provider name a spec may use. */
  providers(): string[] {
    return [...new Set([...BUILTIN_PROVIDERS, ...this.configuredProviders])];
  }

  async create(p: Principal, cmd: CreateTeam): Promise<Team> {
    const { name, spec } = validateTeamInput(cmd.name, restoreMemberEnv(cmd.spec, undefined), {
      providers: this.providers(),
    });
    if (this.repo.byName(name)) throw new AppError("TEAM_NAME_EXISTS");
    for (const guard of this.specGuards) await guard(p.user_id, spec);
    const now = this.clock.now();
    const team: Team = {
      id: newId("team"),
      owner_id: p.user_id,
      name,
      spec,
      version: 1,
      runtime_status: "stopped",
      created_at: now,
      updated_at: now,
    };
    if (this.repo.create(team) === "name_taken") throw new AppError("TEAM_NAME_EXISTS");
    return team;
  }

  list(p: Principal): Team[] {
    return this.repo.list(p.is_root ? null : p.user_id);
  }

  /** The team, when `p` may see it (TEAM_NOT_FOUND otherwise). */
  get(p: Principal, id: string): Team {
    return assertTeamVisible(p, this.repo.get(id));
  }

  /**
   * Compare-and-set on the team's version. `expected.updated_at` works too: updated_at is kept strictly
   * increasing per team (at least +1 ms per write), so two writes in the same millisecond differ.
   */
  async update(p: Principal, id: string, cmd: UpdateTeam): Promise<Team> {
    const current = this.get(p, id);
    const expected = this.expectedVersion(current, cmd.expected);
    // "(set)" (what a GET shows for a member env value) keeps the stored value.
    const { name, spec } = validateTeamInput(
      cmd.name ?? current.name,
      restoreMemberEnv(cmd.spec, current.spec),
      { providers: this.providers() },
    );
    const other = this.repo.byName(name);
    if (other && other.id !== id) throw new AppError("TEAM_NAME_EXISTS");
    // The write below is a compare-and-set on the version, so awaiting here cannot lose an edit.
    for (const guard of this.specGuards) await guard(current.owner_id, spec);
    const now = Math.max(this.clock.now(), current.updated_at + 1);
    const result =
      expected === current.version
        ? this.repo.updateTeam(id, expected, name, spec, now)
        : ("version_changed" as const);
    if (result === "name_taken") throw new AppError("TEAM_NAME_EXISTS");
    if (result === "version_changed") {
      throw new AppError("TEAM_CHANGED", { current_version: this.repo.get(id)?.version });
    }
    const updated = this.repo.get(id)!;
    this.emit("changed", id, current.spec, spec);
    return updated;
  }

  private expectedVersion(current: Team, expected: ExpectedVersion | undefined): number {
    if (expected && "version" in expected) return expected.version;
    if (expected) {
      const ms = Date.parse(expected.updated_at);
      if (Number.isNaN(ms)) {
        throw new AppError(
          "BAD_REQUEST",
          { field: "expected_updated_at" },
          { message: "expected_updated_at must be an ISO timestamp" },
        );
      }
      // A stale timestamp maps to a version that cannot match.
      return ms === current.updated_at ? current.version : -1;
    }
    throw new AppError(
      "BAD_REQUEST",
      { field: "expected_updated_at" },
      { message: "expected_updated_at (or expected_version) is required; GET the team first" },
    );
  }

  delete(p: Principal, id: string): void {
    this.get(p, id);
    this.db.transaction(() => this.repo.delete(id))();
  }
}
