import type { Database } from "../store/database.js";
import type { Clock } from "../util/clock.js";
import type { AuthService, Principal } from "./auth-service.js";
import { MailboxService } from "./mailbox-service.js";
import type { MemberWorktreeOutcome, WorktreeRemovalMode } from "./member-worktrees.js";
import { type NotificationOptions, Notifications } from "./notifications.js";
import { RunService } from "./run-service.js";
import { TaskService } from "./task-service.js";
import { TeamService } from "./team-service.js";

/** How a team is deleted: what happens to its members' worktrees. */
export interface DeleteTeam {
  worktrees: WorktreeRemovalMode;
}

/** A deleted team, and what became of each of its members' worktrees. */
export interface TeamDeletion {
  team_id: string;
  worktrees: MemberWorktreeOutcome[];
}

/** The hub's services, built once over one database and handed to the edges (REST, gRPC). */
export class HubServices {
  readonly teams: TeamService;
  readonly runs: RunService;
  readonly tasks: TaskService;
  readonly mailbox: MailboxService;
  /** Outbound webhooks: endpoints, the outbox (fed by run events and node status) and delivery. */
  readonly notifications: Notifications;
  /** Hooks run before a team is deleted (e.g. stopping its runtime); they report its worktrees' fate. */
  readonly beforeTeamDelete: ((teamId: string, cmd: DeleteTeam) => Promise<MemberWorktreeOutcome[]>)[] = [];

  constructor(
    readonly db: Database,
    readonly clock: Clock,
    readonly auth: AuthService,
    notifications: NotificationOptions,
  ) {
    this.teams = new TeamService(db, clock);
    this.runs = new RunService(db, clock, this.teams.repo);
    this.tasks = new TaskService(db, clock);
    this.mailbox = new MailboxService(db, clock, this.runs.events);
    this.notifications = new Notifications(db, clock, this.teams.repo, this.runs.events, notifications);
  }

  async deleteTeam(
    p: Principal,
    teamId: string,
    cmd: DeleteTeam = { worktrees: "clean" },
  ): Promise<TeamDeletion> {
    this.teams.get(p, teamId);
    const worktrees: MemberWorktreeOutcome[] = [];
    for (const hook of this.beforeTeamDelete) worktrees.push(...(await hook(teamId, cmd)));
    this.teams.delete(p, teamId);
    return { team_id: teamId, worktrees };
  }
}
