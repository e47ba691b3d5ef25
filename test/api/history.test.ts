import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { singleSpec } from "../helpers/specs.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
beforeEach(async () => {
  h = await startHubWithRoot({ history: { event_retention_days: 5, delete_batch_size: 2 } });
});
afterEach(async () => {
  await h.close();
});

describe("[history] retention", () => {
  it("deletes the event logs of runs finished longer ago than the retention, in batches, keeping active runs'", async () => {
    let token = h.rootToken;
    const call = (m: string, p: string, body?: unknown) => api(h.url, m, p, { token, body });
    const team = await call("POST", "/api/teams", { name: "t", spec: singleSpec() });
    const done = await call("POST", `/api/teams/${team.body.id}/runs`, {});
    const active = await call("POST", `/api/teams/${team.body.id}/runs`, {});
    await call("POST", `/api/runs/${done.body.id}/steps/main/start`);
    await call("POST", `/api/runs/${done.body.id}/steps/main/complete`, { output: "ok" });
    const before = await call("GET", `/api/runs/${done.body.id}/events`);
    expect((before.body.events as unknown[]).length).toBeGreaterThan(2);

    expect(h.hub.history.runOnce()).toBe(0);
    h.clock.advance(6 * 86_400_000);
    expect(h.hub.history.runOnce()).toBe((before.body.events as unknown[]).length);
    // Six days on, the session expired too.
    token = (
      await api<{ token: string }>(h.url, "POST", "/api/login", {
        body: { username: "root", password: h.rootPassword },
      })
    ).body.token;

    const after = await call("GET", `/api/runs/${done.body.id}/events`);
    expect(after.body).toMatchObject({ events: [] });
    expect((await call("GET", `/api/runs/${done.body.id}`)).body.status).toBe("completed");
    expect(
      ((await call("GET", `/api/runs/${active.body.id}/events`)).body.events as unknown[]).length,
    ).toBeGreaterThan(0);
  });
});
