import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HubProc,
  hubEnv,
  issueNodeCerts,
  makeRepo,
  type NodeProc,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "../helpers/cluster.js";
import { api, parseBanner } from "../helpers/hub-harness.js";
import { ProcessSet } from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { launchBrowser, screenshot } from "./browser.js";

/**
 * The web console in Debian's chromium against a real hub process and a real node process (TLS),
 * with scripted agents: root joins, registers the node, creates a team (a wrong spec first), starts
 * it and a run; the worker's permission request shows on the attention page and in its transcript;
 * approving it in the page completes the run, seen live on the run page. One browser for the file;
 * each test goes on from the previous one's state.
 */

const PASSWORD = "a long root password";
const WAIT = { timeout: 20_000 };

let dir: ReturnType<typeof tempDir>;
const procs = new ProcessSet();
let hub: HubProc;
let node: NodeProc;
let work: string;
let repo: string;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
/** Pages the flow keeps open, by name (screenshots at 390 px revisit their URLs). */
const urls: Record<string, string> = {};

beforeAll(async () => {
  dir = tempDir("agenthub-web-");
  work = join(dir.path, "work");
  repo = makeRepo(join(work, "repo"));
  mkdirSync(join(work, "lead"), { recursive: true });
  hub = procs.add("hub", await startHubProc(hubEnv(join(dir.path, "hub"), [work])));
  await hub.proc.waitFor(/pin:\s+\d{6}/);
  const certs = join(dir.path, "node-a", "certs");
  await issueNodeCerts(hub.env, certs);
  node = procs.add("node-a", await startNodeProc(nodeEnv(join(dir.path, "node-a"), "node-a", certs, [work])));
  browser = await launchBrowser();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const exits = await procs.stopAll();
  dir?.cleanup();
  expect(exits).toEqual(exits.map((e) => ({ name: e.name, code: 0 })));
}, 60_000);

const card = (p: Page, name: string | RegExp): Locator => p.getByRole("listitem", { name });

function teamSpec(prompt: "prompt" | "promt") {
  return {
    spec_version: 1,
    leader_member_id: "lead",
    members: [
      {
        member_id: "lead",
        role: "leader",
        description: "plans",
        skills: [],
        agent: {
          provider: "scripted",
          node_id: "main",
          worktree_mode: "use_existing",
          workdir: join(work, "lead"),
        },
      },
      {
        member_id: "builder",
        role: "worker",
        description: "builds",
        skills: [],
        agent: {
          provider: "scripted",
          node_id: "node-a",
          worktree_mode: "create_worktree",
          worktree_repo: repo,
          worktree_ref: "main",
        },
      },
    ],
    steps: [
      { step_key: "plan", member_id: "lead", [prompt]: "reply: plan: builder writes feature.txt" },
      {
        step_key: "build",
        member_id: "builder",
        prompt: "ask-permission write feature.txt: the feature\nreply: built",
        depends_on: ["plan"],
      },
    ],
    permissions: { route: "to_human" },
  };
}

describe("the web console", () => {
  it("root joins in the browser with the hub's join token and PIN, and lands on the attention page", async () => {
    await page.goto(`${hub.url}/`);
    await page.waitForURL(/\/login\?next=%2F/);
    await page.getByText("No root user yet").waitFor(WAIT);
    await screenshot(page, "01-login");
    await page.getByRole("link", { name: "Join as root" }).click();
    const { join_token, pin } = parseBanner(hub.proc.stderr());
    await page.getByLabel("Join token").fill(join_token);
    await page.getByLabel("PIN").fill(pin);
    await page.getByLabel("Username").fill("root");
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await screenshot(page, "02-join");
    await page.getByRole("button", { name: "Join" }).click();
    await page.getByRole("heading", { name: "What waits for you" }).waitFor(WAIT);
    await page.getByText("Nothing waits for you").waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await page.title()).toBe("Attention · agenthub");
    // The session is an HttpOnly, SameSite=Strict cookie; the page script never holds the token.
    const cookies = await ctx.cookies();
    expect(cookies.find((c) => c.name === "agenthub_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
    expect(cookies.find((c) => c.name === "agenthub_csrf")).toMatchObject({ httpOnly: false });
    expect(await page.evaluate(() => document.cookie)).not.toContain("agenthub_session");
    await screenshot(page, "03-attention-empty");
  });

  it("registers the node from the nodes page, which shows the certs issue-node command", async () => {
    await page.getByRole("link", { name: "Nodes" }).click();
    await page.getByLabel(/^Node id/).fill("node-a");
    await page.getByLabel(/^Host name/).fill("localhost");
    await page.getByLabel(/^IP address/).fill("127.0.0.1");
    await page.getByLabel("Port").fill(String(node.port));
    await page
      .getByText("agenthub certs issue-node --name localhost --ip 127.0.0.1 --out node-certs")
      .waitFor();
    await page.getByRole("button", { name: "Register node" }).click();
    const nodeCard = card(page, "Node node-a");
    await nodeCard.getByText("online", { exact: true }).waitFor(WAIT);
    await nodeCard.getByText(/\d+(\.\d+)? ms/).waitFor(WAIT);
    await expect(card(page, "Node main").getByText("online", { exact: true }).count()).resolves.toBe(1);
    urls.nodes = page.url();
    await screenshot(page, "04-nodes");
  });

  it("a wrong spec shows the API's error at its path, and choosing it selects that place", async () => {
    await page.getByRole("link", { name: "Teams" }).click();
    await page.getByRole("link", { name: "New team" }).click();
    await page.getByLabel("Team name").fill("web-team");
    const editor = page.getByLabel(/^Spec \(JSON\)/);
    await editor.fill(JSON.stringify(teamSpec("promt"), null, 2));
    await page.getByRole("button", { name: "Create team" }).click();
    const problems = page.getByRole("list", { name: "Problems by path" });
    const problem = problems.getByRole("listitem").filter({ hasText: "spec.steps[0].promt" });
    await problem.waitFor(WAIT);
    expect(await problem.textContent()).toContain('unknown key; did you mean "prompt"?');
    expect(await editor.getAttribute("aria-invalid")).toBe("true");
    await problem.getByRole("button", { name: /line \d+/ }).click();
    const selected = await editor.evaluate((el: HTMLTextAreaElement) =>
      el.value.slice(el.selectionStart, el.selectionEnd),
    );
    expect(selected.startsWith('"promt"')).toBe(true);
    await screenshot(page, "05-spec-error");
    // Nothing was saved.
    expect(new URL(page.url()).pathname).toBe("/teams/new");
  });

  it("creates the team from the fixed spec and starts its runtime: members with node, status and agent", async () => {
    await page.getByLabel(/^Spec \(JSON\)/).fill(JSON.stringify(teamSpec("prompt"), null, 2));
    await page.getByRole("button", { name: "Create team" }).click();
    await page.waitForURL(/\/teams\/team_/, WAIT);
    await page.getByRole("heading", { name: "web-team" }).waitFor(WAIT);
    await page.getByRole("button", { name: "Start runtime" }).click();
    const builder = page.getByRole("row", { name: /builder/ });
    await builder.getByText("idle").waitFor(WAIT);
    expect(await builder.textContent()).toContain("node-a");
    await page.getByRole("row", { name: /lead/ }).getByText("idle").waitFor(WAIT);
    urls.team = page.url();
    await screenshot(page, "06-team-started");
  });

  it("a run's permission request shows on the attention page and in the agent's transcript; approving it there completes the run, live on the run page", async () => {
    await page.getByRole("button", { name: "Start run", exact: true }).click();
    await page.waitForURL(/\/runs\/run_/, WAIT);
    const runPage = page;
    urls.run = runPage.url();
    let reloads = 0;
    runPage.on("load", () => reloads++);
    await runPage.locator("#step-build").getByText("awaiting review").first().waitFor(WAIT);

    const attention = await ctx.newPage();
    await attention.goto(`${hub.url}/`);
    const request = card(attention, "Permission request from builder");
    await request.waitFor(WAIT);
    expect(await request.textContent()).toContain("Write feature.txt");
    await waitUntil(
      "the count in the title",
      async () => (await attention.title()) === "(1) Attention · agenthub",
    );
    await screenshot(attention, "07-attention-permission");

    const transcript = await ctx.newPage();
    await transcript.goto(urls.team!);
    await transcript
      .getByRole("row", { name: /builder/ })
      .getByRole("link", { name: "transcript" })
      .click();
    await transcript.waitForURL(/\/agents\/[^/]+$/, WAIT);
    const log = transcript.getByRole("log");
    await log.getByText("permission request", { exact: true }).waitFor(WAIT);
    await log.getByRole("button", { name: /allow_once/ }).waitFor(WAIT);
    await log.getByRole("button", { name: /reject_once/ }).waitFor(WAIT);
    urls.agent = transcript.url();
    await screenshot(transcript, "08-agent-transcript-permission");

    // Approve from the attention page, with the keyboard.
    const allow = request.getByRole("button", { name: /allow_once/ });
    await allow.focus();
    await attention.keyboard.press("Enter");

    // The run page was never reloaded: its event stream brought the completion.
    await runPage.locator(".page-head .status", { hasText: "completed" }).waitFor(WAIT);
    await runPage.locator("#step-build summary").click();
    await runPage.locator("#step-build").getByText("permission granted: wrote feature.txt").waitFor(WAIT);
    await runPage.locator(".timeline").getByText("review.resolved").waitFor(WAIT);
    await runPage.locator(".timeline").getByText("run.completed").waitFor(WAIT);
    expect(reloads).toBe(0);
    await screenshot(runPage, "09-run-completed");

    await attention.getByText("Nothing waits for you").waitFor(WAIT);
    expect(await attention.title()).toBe("Attention · agenthub");
    await log.getByText("answered: allow_once").waitFor(WAIT);
    await transcript.close();
    await attention.close();
  });

  it("the transcript of an agent with 10,000 events scrolls with fewer than 100 rows in the DOM", async () => {
    const token = (
      await api<{ token: string }>(hub.url, "POST", "/api/login", {
        body: { username: "root", password: PASSWORD },
      })
    ).body.token;
    const bulkDir = join(work, "bulk");
    mkdirSync(bulkDir);
    const created = await api<{ id: string }>(hub.url, "POST", "/api/agents", {
      token,
      body: { name: "bulk", provider: "scripted", workdir: bulkDir },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await api(hub.url, "POST", `/api/agents/${id}/start`, { token })).status).toBe(200);
    await waitUntil("the agent to be idle", async () => {
      const a = await api<{ status: string }>(hub.url, "GET", `/api/agents/${id}`, { token });
      return a.body.status === "idle";
    });
    // 5,000 file writes: a tool call and a message each.
    const text = Array.from({ length: 5_000 }, (_, i) => `write f${i}.txt: ${i}`).join("\n");
    expect((await api(hub.url, "POST", `/api/agents/${id}/input`, { token, body: { text } })).status).toBe(
      202,
    );
    await waitUntil(
      "10,000 agent events",
      async () => {
        const a = await api<{ last_event_seq: number }>(hub.url, "GET", `/api/agents/${id}`, { token });
        return a.body.last_event_seq >= 10_000;
      },
      90_000,
    );

    await page.goto(`${hub.url}/agents/${id}`);
    const log = page.getByRole("log");
    await waitUntil("every event folded into the transcript", async () => {
      const n = Number(await log.getAttribute("data-rows"));
      return n >= 10_000;
    });
    const rows = log.locator(".t-row");
    expect(await rows.count()).toBeLessThan(100);
    await log.getByText("wrote f4999.txt").waitFor(WAIT);

    // The reader scrolls back with the wheel: the list stops following and shows the middle.
    const half = await log.evaluate((el) => el.scrollHeight / 2);
    await log.hover();
    await page.mouse.wheel(0, -half);
    await waitUntil("the middle to render", async () => {
      const seqs = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
      return seqs.some((s) => s > 2_000 && s < 9_000);
    });
    expect(await rows.count()).toBeLessThan(100);
    await page.getByRole("button", { name: "Jump to the newest" }).waitFor(WAIT);

    // With the keyboard: Home goes to the start of the log.
    await log.focus();
    await page.keyboard.press("Home");
    await log.getByText("Turn:").first().waitFor(WAIT);
    expect(await rows.count()).toBeLessThan(100);
    urls.bulk = page.url();
    await screenshot(page, "10-transcript-10k");
  }, 120_000);

  it("admin shows a new join challenge's token and PIN once", async () => {
    await page.getByRole("link", { name: "Admin" }).click();
    await page.getByRole("button", { name: "Create join challenge" }).click();
    await page.getByText(/^ahj_/).waitFor(WAIT);
    await page.getByText(/^\d{6}$/).waitFor(WAIT);
    await page.getByText("root", { exact: true }).first().waitFor(WAIT);
    await screenshot(page, "11-admin");
  });

  it("says when it is offline and comes back by itself", async () => {
    await page.goto(urls.run!);
    await page.locator(".page-head .status", { hasText: "completed" }).waitFor(WAIT);
    await ctx.setOffline(true);
    const banner = page.getByRole("status").filter({ hasText: "Offline" });
    await banner.waitFor(WAIT);
    await screenshot(page, "12-offline");
    await ctx.setOffline(false);
    await page.locator(".offline-banner").waitFor({ state: "detached", ...WAIT });
  });

  it("is readable at 390 px wide: no page scrolls sideways", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await ctx.storageState(),
    });
    const p = await phone.newPage();
    for (const [name, url] of Object.entries({ attention: `${hub.url}/`, ...urls })) {
      await p.goto(url);
      await p.locator("main h1").first().waitFor(WAIT);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      expect(width, name).toBeLessThanOrEqual(390);
      await screenshot(p, `390-${name}`);
    }
    await phone.close();
  }, 60_000);
});
