import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterEach, describe, expect, it } from "vitest";
import { HubDaemon } from "../../src/app/hub-daemon.js";
import { NodeDaemon } from "../../src/app/node-daemon.js";
import { ConfigError } from "../../src/config/config-error.js";
import { loadConfig } from "../../src/config/load-config.js";
import { issueNodeCertificates } from "../../src/grpc/cert-store.js";
import { createLogger } from "../../src/util/logger.js";
import { api, type Harness, startHub, startHubWithRoot } from "../helpers/hub-harness.js";
import { type PromSample, samples, scrape, value } from "../helpers/prom-text.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { openTeamHub, type TeamHub } from "../team/helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function teamHub(): Promise<TeamHub> {
  const t = await openTeamHub({ metrics: { listen: "127.0.0.1:0" } });
  cleanups.push(() => t.close());
  return t;
}

const metricsOf = (t: TeamHub) => scrape(`${t.h.hub.metricsUrl}/metrics`);

describe("GET /metrics on [metrics] listen", () => {
  it("after a real run: runs and steps by status, requests by route pattern, dispatch-to-turn-start, events, nodes, main's agents", async () => {
    const t = await teamHub();
    const teamId = await t.createTeam({
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), t.member("w1", "worker")],
      steps: [
        { step_key: "plan", member_id: "lead", prompt: "reply: planned" },
        { step_key: "build", member_id: "w1", prompt: "reply: built", depends_on: ["plan"] },
      ],
    });
    await t.startRuntime(teamId);
    const run = await t.newRun(teamId);
    await t.waitRun(run.id, "completed");
    expect((await t.call("GET", `/api/teams/${teamId}`)).status).toBe(200);
    expect((await t.call("GET", "/api/teams/team_nonexistent")).status).toBe(404);
    // Probes `main` now, so its latency is recorded.
    expect((await t.call("GET", "/api/admin/agent-nodes/main/health")).status).toBe(200);

    const m = await metricsOf(t);
    expect(value(m, "agenthub_runs", { status: "completed" })).toBe(1);
    expect(samples(m, "agenthub_runs").filter((s) => s.value > 0)).toHaveLength(1);
    expect(samples(m, "agenthub_runs").map((s) => s.labels.status)).toHaveLength(7);
    expect(value(m, "agenthub_steps", { status: "completed" })).toBe(2);
    expect(value(m, "agenthub_steps", { status: "failed" })).toBe(0);

    // Requests by the route's pattern, never its URL: both team lookups are one route.
    const teamGets = samples(m, "agenthub_http_request_duration_seconds_count", {
      method: "GET",
      route: "/api/teams/:id",
    });
    expect(Object.fromEntries(teamGets.map((s) => [s.labels.status, s.value]))).toEqual({ 200: 1, 404: 1 });
    expect(
      m.filter((s) => s.labels.route?.includes(teamId) || s.labels.route?.includes("nonexistent")),
    ).toEqual([]);
    expect(
      value(m, "agenthub_http_request_duration_seconds_count", {
        method: "POST",
        route: "/api/teams/:id/runs",
        status: "201",
      }),
    ).toBe(1);
    const le = (s: PromSample) => Number(s.labels.le);
    const buckets = samples(m, "agenthub_http_request_duration_seconds_bucket", {
      route: "/api/teams/:id",
      status: "200",
    }).sort((a, b) => le(a) - le(b));
    expect(buckets.at(-1)).toMatchObject({ labels: { le: "+Inf" }, value: 1 });

    // Each step was one turn the hub sent and its agent started.
    expect(value(m, "agenthub_dispatch_to_turn_start_seconds_count", { kind: "step" })).toBe(2);
    const startSum = value(m, "agenthub_dispatch_to_turn_start_seconds_sum", { kind: "step" });
    expect(startSum).toBeGreaterThanOrEqual(0);
    expect(startSum).toBeLessThan(30);
    expect(value(m, "agenthub_dispatch_to_turn_start_seconds_count", { kind: "mail" })).toBe(0);

    expect(value(m, "agenthub_agent_events_ingested_total", { kind: "turn_started" })).toBeGreaterThanOrEqual(
      2,
    );
    expect(value(m, "agenthub_agent_events_ingested_total", { kind: "turn_ended" })).toBeGreaterThanOrEqual(
      2,
    );

    expect(value(m, "agenthub_nodes", { status: "online" })).toBe(1);
    expect(value(m, "agenthub_nodes", { status: "offline" })).toBe(0);
    expect(value(m, "agenthub_node_probe_latency_seconds", { node: "main" })).toBeGreaterThanOrEqual(0);
    expect(value(m, "agenthub_node_agents", { node: "main", state: "idle" })).toBe(2);
    expect(value(m, "agenthub_node_event_log_bytes", { node: "main" })).toBeGreaterThan(0);

    expect(value(m, "agenthub_mailbox_backlog")).toBe(0);
    expect(value(m, "agenthub_pending_reviews")).toBe(0);
    expect(value(m, "agenthub_pending_review_oldest_age_seconds")).toBe(0);
    expect(value(m, "agenthub_webhook_deliveries_total", { outcome: "delivered" })).toBe(0);
    expect(samples(m, "agenthub_build_info", { daemon: "hub" })).toHaveLength(1);
    // prom-client's process defaults.
    expect(value(m, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(samples(m, "nodejs_eventloop_lag_seconds")).toHaveLength(1);

    // Every series the Grafana dashboard queries is one the hub exposes (the node's are a subset: main's).
    const dashboard = readFileSync(join(import.meta.dirname, "../../deploy/grafana-dashboard.json"), "utf8");
    const queried = new Set(
      (JSON.parse(dashboard) as { panels: { targets?: { expr: string }[] }[] }).panels
        .flatMap((p) => p.targets ?? [])
        .flatMap((tg) =>
          [...tg.expr.matchAll(/\b((?:agenthub|process|nodejs)_[a-z0-9_]+)/g)].map((x) => x[1]!),
        ),
    );
    expect(queried.size).toBeGreaterThan(15);
    const exposed = new Set(m.map((s) => s.name));
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it("while a run waits: pending reviews and their age, the mailbox backlog of a busy leader, SSE clients", async () => {
    const t = await teamHub();
    const teamId = await t.createTeam({
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), t.member("w1", "worker")],
      steps: [
        // The leader stays busy, so the review sent to its inbox waits there.
        { step_key: "plan", member_id: "lead", prompt: "sleep 20000\nreply: planned" },
        { step_key: "build", member_id: "w1", prompt: "ask-permission write f.txt: x\nreply: built" },
      ],
      permissions: { route: "to_leader" },
    });
    await t.startRuntime(teamId);
    const run = await t.newRun(teamId);
    await waitUntil("a pending review", async () => {
      const r = await t.call<{ reviews: unknown[] }>(
        "GET",
        `/api/runs/${run.id}/permission-reviews?status=pending`,
      );
      return r.body.reviews.length > 0;
    });
    const sse = await openSse(`${t.url}/api/runs/${run.id}/events`, {
      authorization: `Bearer ${t.rootToken}`,
    });
    cleanups.push(() => sse.close());
    t.h.clock.advance(30_000);

    const m = await metricsOf(t);
    expect(value(m, "agenthub_pending_reviews")).toBe(1);
    expect(value(m, "agenthub_pending_review_oldest_age_seconds")).toBeGreaterThanOrEqual(30);
    expect(value(m, "agenthub_mailbox_backlog")).toBe(1);
    expect(value(m, "agenthub_runs", { status: "awaiting_review" })).toBe(1);
    expect(value(m, "agenthub_steps", { status: "working" })).toBe(1);
    expect(value(m, "agenthub_steps", { status: "awaiting_review" })).toBe(1);
    expect(value(m, "agenthub_sse_clients")).toBe(1);

    // The hub ends the stream (as at shutdown): its length is no request latency, so it is not observed.
    t.h.hub.sse.closeAll();
    await sse.close();
    const closed = await metricsOf(t);
    expect(value(closed, "agenthub_sse_clients")).toBe(0);
    expect(
      samples(closed, "agenthub_http_request_duration_seconds_count", { route: "/api/runs/:id/events" }),
    ).toEqual([]);
    expect((await t.call("POST", `/api/runs/${run.id}/cancel`)).status).toBe(200);
    const after = await metricsOf(t);
    expect(value(after, "agenthub_runs", { status: "canceled" })).toBe(1);
    // Mail of a run that ended is nobody's backlog.
    expect(value(after, "agenthub_mailbox_backlog")).toBe(0);
  });

  it("the listener is loopback-only and serves nothing but /metrics; the REST listener answers 404 for /metrics", async () => {
    const t = await teamHub();
    const url = new URL(t.h.hub.metricsUrl);
    expect(url.hostname).toBe("127.0.0.1");
    expect(url.port).not.toBe(new URL(t.url).port);
    const other = await fetch(`${t.h.hub.metricsUrl}/api/teams`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: "NOT_FOUND", error: "no route for GET /api/teams" });
    expect((await fetch(`${t.h.hub.metricsUrl}/metrics`, { method: "POST" })).status).toBe(404);
    // Metrics are on, but not on the REST listener (no token_file).
    const rest = await api(t.url, "GET", "/metrics", { token: t.rootToken });
    expect([rest.status, rest.body.code]).toEqual([404, "NOT_FOUND"]);

    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    for (const listen of ["0.0.0.0:9464", "10.1.2.3:9464", "[::]:9464"]) {
      for (const [section, key] of [
        ["metrics", "listen"],
        ["node", "metrics_listen"],
      ] as const) {
        writeFileSync(join(dir.path, "config.toml"), `[${section}]\n${key} = "${listen}"\n`);
        const load = () => loadConfig({ env: { HOME: dir.path, AGENTHUB_HOME: dir.path } });
        expect(load).toThrow(ConfigError);
        expect(load).toThrow(`${section}.${key} must be a loopback address`);
      }
    }
    writeFileSync(join(dir.path, "config.toml"), '[metrics]\nlisten = "localhost:9464"\n');
    expect(loadConfig({ env: { HOME: dir.path, AGENTHUB_HOME: dir.path } }).metrics.listen).toBe(
      "localhost:9464",
    );
  });

  it("is off by default: no listener, 404 on the REST listener, no registry", async () => {
    const h: Harness = await startHub();
    cleanups.push(() => h.close());
    expect(h.hub.metrics).toBeUndefined();
    expect(h.hub.metricsUrl).toBe("");
    const r = await api(h.url, "GET", "/metrics");
    expect([r.status, r.body.code]).toEqual([404, "NOT_FOUND"]);
  });
});

describe("GET /metrics on the REST listener ([metrics] token_file)", () => {
  const TOKEN = "m3trics-scrape-token-0123456789";

  it("answers only with the file's bearer token, in the text format; a session token is refused", async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const file = join(dir.path, "metrics.token");
    writeFileSync(file, `${TOKEN}\n`);
    chmodSync(file, 0o600);
    const h = await startHubWithRoot({ metrics: { token_file: file } });
    cleanups.push(() => h.close());
    expect(h.hub.metricsUrl).toBe("");

    const none = await api(h.url, "GET", "/metrics");
    expect([none.status, none.body.code]).toEqual([401, "MISSING_TOKEN"]);
    const session = await api(h.url, "GET", "/metrics", { token: h.rootToken });
    expect([session.status, session.body.code]).toEqual([401, "INVALID_TOKEN"]);
    const near = await api(h.url, "GET", "/metrics", { token: `${TOKEN}x` });
    expect([near.status, near.body.code]).toEqual([401, "INVALID_TOKEN"]);

    const m = await scrape(`${h.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
    // The refused scrapes above were requests like any other.
    expect(
      value(m, "agenthub_http_request_duration_seconds_count", { route: "/metrics", status: "401" }),
    ).toBe(3);
    expect(value(m, "agenthub_runs", { status: "completed" })).toBe(0);

    // Documented (text/plain, its own bearer scheme) in a document that stays valid OpenAPI 3.1.
    const doc = await api<{ paths: Record<string, unknown> }>(h.url, "GET", "/api/openapi.json");
    expect(JSON.stringify(doc.body.paths["/metrics"])).toContain('"text/plain"');
    const valid = await new Validator().validate(
      structuredClone(doc.body) as unknown as Record<string, unknown>,
    );
    expect(valid.errors ?? []).toEqual([]);
  });

  it("refuses to start with a missing or short token file, naming the key and file", async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const start = (tokenFile: string) => {
      writeFileSync(
        join(dir.path, "config.toml"),
        `[server]\nlisten = "127.0.0.1:0"\n[internal_grpc]\nlisten = "127.0.0.1:0"\n[metrics]\ntoken_file = "${tokenFile}"\n`,
      );
      const config = loadConfig({ env: { HOME: dir.path, AGENTHUB_HOME: dir.path } });
      return new HubDaemon({ config, logger: createLogger({ level: "silent", format: "json" }) }).start();
    };
    const missing = join(dir.path, "nope.token");
    await expect(start(missing)).rejects.toThrow(`cannot read [metrics] token_file ${missing}: ENOENT`);
    const short = join(dir.path, "short.token");
    writeFileSync(short, "abc\n");
    await expect(start(short)).rejects.toThrow(
      `[metrics] token_file ${short} must hold one token of at least 16 characters`,
    );
    await expect(start(short)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe("the node daemon's /metrics ([node] metrics_listen)", () => {
  it("serves its agents by state and its event log, on loopback", async () => {
    // The node's certificates come from a hub's CA, as `agenthub certs issue-node` makes them.
    const hub = await startHub();
    cleanups.push(() => hub.close());
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const certDir = join(dir.path, "certs");
    await issueNodeCertificates({
      caDir: hub.hub.options.internalGrpc.certDir,
      name: "localhost",
      ips: ["127.0.0.1"],
      outDir: certDir,
    });
    writeFileSync(
      join(dir.path, "config.toml"),
      [
        `safe_paths = ["${join(dir.path, "safe")}"]`,
        "[node]",
        'id = "node-m"',
        'metrics_listen = "127.0.0.1:0"',
        "[internal_grpc]",
        'listen = "127.0.0.1:0"',
        "[internal_grpc.security]",
        `cert_dir = "${certDir}"`,
      ].join("\n"),
    );
    const config = loadConfig({ env: { HOME: dir.path, AGENTHUB_HOME: dir.path } });
    const node = new NodeDaemon(config, createLogger({ level: "silent", format: "json" }));
    await node.start();
    cleanups.push(() => node.stop());
    expect(new URL(node.metricsUrl).hostname).toBe("127.0.0.1");

    const m = await scrape(`${node.metricsUrl}/metrics`);
    const agents = samples(m, "agenthub_node_agents", { node: "node-m" });
    expect(agents.map((s) => s.labels.state).sort()).toEqual(
      ["busy", "exited", "failed", "idle", "running", "starting", "stopped"].sort(),
    );
    expect(agents.every((s) => s.value === 0)).toBe(true);
    expect(value(m, "agenthub_node_event_log_bytes", { node: "node-m" })).toBeGreaterThanOrEqual(0);
    expect(value(m, "agenthub_node_event_log_retained_events", { node: "node-m" })).toBe(0);
    expect(samples(m, "agenthub_build_info", { daemon: "node" })).toHaveLength(1);
    expect(value(m, "process_resident_memory_bytes")).toBeGreaterThan(0);
    // Hub series are the hub's: a node has no runs.
    expect(samples(m, "agenthub_runs")).toEqual([]);
    await node.stop();
    await expect(fetch(`${node.metricsUrl}/metrics`)).rejects.toThrow();
  });
});
