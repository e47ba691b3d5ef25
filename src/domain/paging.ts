import { AppError } from "../errors/registry.js";

/**
 * Page sizes, one place for every paged list (a team's runs, run and agent events, inboxes, a task's
 * conversation): the REST `limit` schema accepts 1..MAX_PAGE_SIZE and the services use the same bounds,
 * so a page is never silently smaller than the size that was asked for and accepted.
 */

/** The page size when none is asked for. */
export const DEFAULT_PAGE_SIZE = 100;
/** The most one page holds; a larger `limit` is refused, never cut down. */
export const MAX_PAGE_SIZE = 1000;

/**
 * The size of a page for a requested `limit`: the default when none was given, the limit itself when it
 * is a whole number from 1 to MAX_PAGE_SIZE; anything else is refused naming the field. (REST validates
 * `limit` with the same bounds before a service runs; this holds for every other caller.)
 */
export function pageSize(limit: number | undefined, field = "limit"): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new AppError(
      "BAD_REQUEST",
      { field, max: MAX_PAGE_SIZE },
      { message: `${field} must be a whole number from 1 to ${MAX_PAGE_SIZE}` },
    );
  }
  return limit;
}
