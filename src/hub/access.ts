import { AppError } from "../errors/registry.js";
import type { Team } from "../store/teams-repo.js";
import type { Principal } from "./auth-service.js";

/** Root sees every team; others only their own. A hidden team is "not found", so nothing leaks. */
export function assertTeamVisible(p: Principal, team: Team | undefined): Team {
  if (!team || (!p.is_root && team.owner_id !== p.user_id)) throw new AppError("TEAM_NOT_FOUND");
  return team;
}

export function iso(ms: number): string;
export function iso(ms: number | null | undefined): string | null;
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
