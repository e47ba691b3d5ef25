import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { people } from "./people-cli.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let dir: ReturnType<typeof tempDir>;
const cli = (args: string[]) =>
  people(dir.path, args, { env: { AGENTHUB_HUB: h.url, AGENTHUB_TOKEN: h.rootToken } });

beforeAll(async () => {
  h = await startHubWithRoot();
  dir = tempDir("agenthub-people-");
});
afterAll(async () => {
  await h.close();
  dir.cleanup();
});

const teamToml = (buildPrompt: string, extra = "") => `name = "alpha"

[spec]
spec_version = 1
leader_member_id = "lead"

[[spec.members]]
member_id = "lead"
role = "leader"

[[spec.members]]
member_id = "w1"
role = "worker"

[[spec.steps]]
step_key = "plan"
member_id = "lead"
prompt = "reply: plan"

[[spec.steps]]
step_key = "build"
member_id = "w1"
prompt = "${buildPrompt}"
depends_on = ["plan"]
${extra}`;

type TeamBody = {
  id: string;
  name: string;
  version: number;
  spec: { steps: { step_key: string; prompt: string }[] };
};

describe("agenthub teams", () => {
  it("apply -f team.toml creates the team, then updates it against its version and prints what changed", async () => {
    const file = join(dir.path, "team.toml");
    writeFileSync(file, teamToml("reply: a"));
    const created = await cli(["teams", "apply", "-f", file]);
    expect(created.code, created.stderr).toBe(0);
    const id = /created team alpha \((team_\S+)\), version 1/.exec(created.stdout)?.[1];
    expect(id, created.stdout).toBeDefined();
    const v1 = await api<TeamBody>(h.url, "GET", `/api/teams/${id}`, { token: h.rootToken });
    expect(v1.body.spec.steps.map((s) => [s.step_key, s.prompt])).toEqual([
      ["plan", "reply: plan"],
      ["build", "reply: a"],
    ]);

    writeFileSync(
      file,
      teamToml(
        "reply: b",
        '\n[[spec.steps]]\nstep_key = "docs"\nmember_id = "lead"\nprompt = "reply: docs"\n',
      ),
    );
    const updated = await cli(["teams", "apply", "-f", file]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toBe(
      [
        `updated team alpha (${id}), version 1 -> 2:`,
        '  ~ spec.steps[build].prompt: "reply: a" -> "reply: b"',
        "  + spec.steps[docs]",
        "",
      ].join("\n"),
    );
    const v2 = await api<TeamBody>(h.url, "GET", `/api/teams/${id}`, { token: h.rootToken });
    expect(v2.body.version).toBe(2);
    expect(v2.body.spec.steps.map((s) => s.prompt)).toEqual(["reply: plan", "reply: b", "reply: docs"]);

    // The same file again changes nothing in the spec; --json says so.
    const again = await cli(["teams", "apply", "-f", file, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ action: "unchanged", changes: [] });
  });

  it("a spec the hub refuses is one line with its code and every problem; a file without a name is refused before sending", async () => {
    const file = join(dir.path, "bad.toml");
    writeFileSync(
      file,
      teamToml("x").replace('prompt = "reply: plan"', 'promt = "reply: plan"').replace("alpha", "beta"),
    );
    const r = await cli(["teams", "apply", "-f", file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^agenthub: SPEC_INVALID: .*spec\.steps\[0\]\.promt: unknown key; did you mean "prompt"\?/,
    );

    writeFileSync(file, "[spec]\nspec_version = 1\n");
    const unnamed = await cli(["teams", "apply", "-f", file]);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toBe(
      `agenthub: TEAM_NAME_REQUIRED: ${file}: team name is required (name = "…")\n`,
    );
  });

  it("takes team names where ids go; an ambiguous name lists the candidates", async () => {
    const spec = { spec_version: 1, members: [{ member_id: "m", role: "leader" }] };
    const mk = async (name: string) =>
      (await api<{ id: string }>(h.url, "POST", "/api/teams", { token: h.rootToken, body: { name, spec } }))
        .body.id;
    const one = await mk("gamma-one");
    const two = await mk("gamma-two");

    const ambiguous = await cli(["teams", "show", "gamma"]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toBe(
      `agenthub: NAME_AMBIGUOUS: "gamma" matches 2 teams: gamma-one (${one}), gamma-two (${two}); use an id or the full name\n`,
    );

    const shown = await cli(["teams", "show", "gamma-two", "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id: two,
      name: "gamma-two",
      runtime: { status: "stopped" },
    });

    const deleted = await cli(["teams", "delete", "gamma-t"]);
    expect([deleted.code, deleted.stdout]).toEqual([0, `deleted team gamma-two (${two})\n`]);
    expect((await api(h.url, "GET", `/api/teams/${two}`, { token: h.rootToken })).status).toBe(404);
    const missing = await cli(["teams", "delete", "gamma-two"]);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'agenthub: TEAM_NOT_FOUND: team not found: no team has the id or name "gamma-two"\n',
    ]);
  });
});
