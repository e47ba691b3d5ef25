import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addUser, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { people } from "./people-cli.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let dir: ReturnType<typeof tempDir>;

beforeEach(async () => {
  h = await startHubWithRoot();
  dir = tempDir("agenthub-people-hooks-");
});
afterEach(async () => {
  await h.close();
  dir.cleanup();
});

const as = (token: string) => ({ env: { AGENTHUB_HUB: h.url, AGENTHUB_TOKEN: token } });

describe("agenthub webhooks", () => {
  it("adds a webhook showing its secret once, lists it without, shows its deliveries, and deletes it", async () => {
    const add = await people(
      dir.path,
      [
        "webhooks",
        "add",
        "https://hooks.example.test/in",
        "--event",
        "run.failed",
        "--event",
        "run.canceled",
      ],
      as(h.rootToken),
    );
    expect(add.code, add.stderr).toBe(0);
    const id =
      /added webhook (\S+) -> https:\/\/hooks\.example\.test\/in \(run\.failed, run\.canceled\)/.exec(
        add.stdout,
      )?.[1];
    expect(id, add.stdout).toBeDefined();
    expect(add.stdout).toMatch(/secret \(shown once; verify webhook-signature with it\): whsec_\S+/);

    const list = await people(dir.path, ["webhooks", "list"], as(h.rootToken));
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain("(global)");
    expect(list.stdout).not.toContain("whsec_");
    const json = await people(dir.path, ["webhooks", "list", "--json"], as(h.rootToken));
    expect(JSON.parse(json.stdout)).toMatchObject([
      { id, url: "https://hooks.example.test/in", event_types: ["run.failed", "run.canceled"] },
    ]);

    const deliveries = await people(dir.path, ["webhooks", "deliveries", id!, "--json"], as(h.rootToken));
    expect([deliveries.code, JSON.parse(deliveries.stdout)]).toEqual([0, []]);

    const del = await people(dir.path, ["webhooks", "delete", id!], as(h.rootToken));
    expect([del.code, del.stdout.trim()]).toEqual([0, `deleted webhook ${id}`]);
    expect((await api(h.url, "GET", `/api/webhooks/${id}`, { token: h.rootToken })).status).toBe(404);
  });

  it("prints the hub's refusal on one line: a global webhook is root's, a bad event type is named", async () => {
    const alice = await addUser(h, h.rootToken, "alice");
    const global = await people(dir.path, ["webhooks", "add", "https://hooks.example.test/in"], as(alice));
    expect(global.code).toBe(1);
    expect(global.stderr.trim().split("\n")).toHaveLength(1);
    expect(global.stderr).toMatch(/^agenthub: ROOT_REQUIRED: /);

    const bad = await people(
      dir.path,
      ["webhooks", "add", "https://hooks.example.test/in", "--event", "run.exploded"],
      as(h.rootToken),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("event_types");

    const usage = await people(dir.path, ["webhooks", "add"], as(h.rootToken));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing URL");
  });
});
