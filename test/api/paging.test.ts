import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../src/domain/paging.js";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { diamondSpec } from "../helpers/specs.js";

/** Every paged route takes the `limit` its schema accepts, and answers pages of exactly that size. */

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let runId: string;

type EventPage = { events: { seq: number }[]; next_cursor: string | null };

beforeEach(async () => {
  h = await startHubWithRoot();
  const team = await api<{ id: string }>(h.url, "POST", "/api/teams", {
    token: h.rootToken,
    body: { name: "t", spec: diamondSpec() },
  });
  const run = await api<{ id: string }>(h.url, "POST", `/api/teams/${team.body.id}/runs`, {
    token: h.rootToken,
    body: { input: "x" },
  });
  runId = run.body.id;
});
afterEach(async () => {
  await h.close();
});

const events = (query: string) =>
  api<EventPage & { code?: string }>(h.url, "GET", `/api/runs/${runId}/events?${query}`, {
    token: h.rootToken,
  });

describe("pagination", () => {
  it("pages a run's events by the default size, and by any size up to the maximum the schema accepts", async () => {
    const existing = (await events(`limit=${MAX_PAGE_SIZE}`)).body.events.length;
    // More events than the old silent cap (500) and the default, fewer than the maximum.
    for (let i = existing; i < 700; i++) h.hub.services.runs.appendEvent(runId, "mailbox.sent", null, { i });

    const first = await events("");
    expect(first.body.events).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(first.body.next_cursor).toBe(String(DEFAULT_PAGE_SIZE));

    const all = await events(`limit=${MAX_PAGE_SIZE}`);
    expect(all.body.events).toHaveLength(700);
    expect(all.body.next_cursor).toBeNull();

    const exact = await events("limit=600");
    expect(exact.body.events).toHaveLength(600);
    expect(exact.body.next_cursor).toBe("600");

    const over = await events(`limit=${MAX_PAGE_SIZE + 1}`);
    expect([over.status, over.body.code]).toEqual([400, "BAD_REQUEST"]);
  });
});
