import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DemoProcess, runToCompletion } from "./demo-processes.js";

type Json = Record<string, unknown>;

async function call(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Json> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Json;
  if (res.status >= 400) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

function makeRepo(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, "README.md"), "# demo repo\n");
  git("add", ".");
  git("-c", "user.email=demo@agenthub", "-c", "user.name=demo", "commit", "-q", "-m", "init");
}

const TERMINAL = new Set(["completed", "failed", "canceled"]);

/**
 * `agenthub demo` (`npm run demo`): a hub and two node daemons as separate processes on loopback with
 * TLS, a team whose leader runs on `main` and whose workers run in git worktrees on the two nodes, and a
 * 3-step run in which a worker asks permission to write a file and the leader approves it through the
 * actor CLI. Prints the run's timeline as it happens; exits 0 when the run completes, leaving nothing running.
 */
export async function demoCommand(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "agenthub-demo-"));
  const work = join(root, "work");
  const procs: DemoProcess[] = [];
  const t0 = Date.now();
  const say = (line: string) =>
    process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
  try {
    makeRepo(join(work, "repo"));
    mkdirSync(join(work, "lead"), { recursive: true });
    const base = { PATH: process.env.PATH, AGENTHUB_LOGGING_LEVEL: "warn" };
    const hubEnv = {
      ...base,
      HOME: join(root, "hub"),
      AGENTHUB_HOME: join(root, "hub", ".agenthub"),
      AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
      AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
      AGENTHUB_SAFE_PATHS: work,
      AGENTHUB_LOGGING_LEVEL: "info",
    };
    const hub = new DemoProcess("hub", ["serve"], hubEnv);
    procs.push(hub);
    const url = (await hub.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1]!;
    const joinToken = (await hub.waitFor(/join_token: (\S+)/))[1]!;
    const pin = (await hub.waitFor(/pin:\s+(\d{6})/))[1]!;
    const token = (
      (await call(url, "POST", "/api/join", undefined, {
        join_token: joinToken,
        pin,
        username: "root",
        password: "demo password",
      })) as { token: string }
    ).token;
    const health = (await call(url, "GET", "/health", undefined)) as { agents?: { isolation?: string } };
    const isolation = health.agents?.isolation ?? "unknown";
    say(
      `hub up at ${url} (TLS internal gRPC); joined as root; agents ${isolation === "bwrap" ? "sandboxed with bubblewrap" : `NOT sandboxed (isolation: ${isolation})`}`,
    );

    for (const id of ["node-a", "node-b"]) {
      const certs = join(root, id, "certs");
      await runToCompletion(
        ["certs", "issue-node", "--name", "localhost", "--ip", "127.0.0.1", "--out", certs],
        hubEnv,
      );
      const node = new DemoProcess(id, ["--node-mode"], {
        ...base,
        HOME: join(root, id),
        AGENTHUB_HOME: join(root, id, ".agenthub"),
        AGENTHUB_NODE_ID: id,
        AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
        AGENTHUB_INTERNAL_GRPC_SECURITY_CERT_DIR: certs,
        AGENTHUB_SAFE_PATHS: work,
        AGENTHUB_WORKTREE_DEFAULT_ROOT: join(root, id, "worktrees"),
        AGENTHUB_LOGGING_LEVEL: "info",
      });
      procs.push(node);
      await node.waitFor(/"msg":"node listening"/);
      const port = /"port":(\d+)/.exec(node.output)![1];
      await call(url, "POST", "/api/admin/agent-nodes", token, {
        id,
        name: id,
        grpc_target: `127.0.0.1:${port}`,
      });
      say(`node ${id} started as its own process on port ${port} and registered`);
    }

    const worker = (node: string) => ({
      provider: "scripted",
      node_id: node,
      worktree_mode: "create_worktree",
      worktree_repo: join(work, "repo"),
      worktree_ref: "main",
    });
    const spec = {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          description: "plans and reviews",
          skills: [],
          agent: {
            provider: "scripted",
            node_id: "main",
            worktree_mode: "use_existing",
            workdir: join(work, "lead"),
            env: { SCRIPTED_REVIEW_DECISION: "allow" },
          },
        },
        {
          member_id: "builder",
          role: "worker",
          description: "writes code",
          skills: [],
          agent: worker("node-a"),
        },
        {
          member_id: "writer",
          role: "worker",
          description: "writes docs",
          skills: [],
          agent: worker("node-b"),
        },
      ],
      entrypoint: { member_id: "lead", prompt: "ship the feature" },
      steps: [
        {
          step_key: "plan",
          member_id: "lead",
          prompt: "reply: plan: builder adds feature.txt; writer documents it",
        },
        {
          step_key: "build",
          member_id: "builder",
          prompt: "ask-permission write feature.txt: the feature\nreply: built",
          depends_on: ["plan"],
        },
        {
          step_key: "docs",
          member_id: "writer",
          prompt: "write DOCS.md: how to use the feature\nreply: documented",
          depends_on: ["plan"],
        },
      ],
      permissions: { route: "to_leader" },
    };
    const team = (await call(url, "POST", "/api/teams", token, { name: "demo", spec })) as { id: string };
    await call(url, "POST", `/api/teams/${team.id}/runtime/start`, token);
    say("team runtime started: lead on main, builder on node-a, writer on node-b (git worktrees)");
    const run = (await call(url, "POST", `/api/teams/${team.id}/runs`, token, {
      input: { goal: "ship it" },
    })) as {
      id: string;
    };
    say(`run ${run.id} created`);
    say(`console: ${url}/runs/${run.id} (sign in as root with the password "demo password")`);

    let after = 0;
    let status = "submitted";
    let drained = false;
    // The status is read before each page, so the page after the run finished prints its last events.
    while (!drained) {
      status = ((await call(url, "GET", `/api/runs/${run.id}`, token)) as { status: string }).status;
      drained = TERMINAL.has(status);
      const page = (await call(url, "GET", `/api/runs/${run.id}/events?after=${after}&limit=200`, token)) as {
        events: { seq: number; kind: string; step_key: string | null; data: Json }[];
        next_cursor: string | null;
      };
      for (const e of page.events) {
        after = e.seq;
        const detail = e.data.message ?? e.data.code ?? e.data.reviewer ?? e.data.decided_by ?? "";
        say(`${e.kind}${e.step_key ? ` ${e.step_key}` : ""}${detail ? `  ${String(detail)}` : ""}`);
      }
      if (page.next_cursor) drained = false;
      else if (!drained) await new Promise((r) => setTimeout(r, 200));
    }
    const final = (await call(url, "GET", `/api/runs/${run.id}`, token)) as {
      status: string;
      steps: { step_key: string; output: string | null }[];
    };
    for (const s of final.steps) say(`output of ${s.step_key}: ${JSON.stringify(s.output)}`);
    const runtime = (await call(url, "GET", `/api/teams/${team.id}/runtime`, token)) as {
      members: { member_id: string; workdir: string | null }[];
    };
    const builderDir = runtime.members.find((m) => m.member_id === "builder")?.workdir;
    if (builderDir)
      say(
        `builder's worktree has feature.txt: ${JSON.stringify(readFileSync(join(builderDir, "feature.txt"), "utf8"))}`,
      );
    await call(url, "POST", `/api/teams/${team.id}/runtime/stop`, token);
    say(`run ${final.status}; stopping nodes and hub`);
    return final.status === "completed" ? 0 : 1;
  } catch (err) {
    say(`demo failed: ${(err as Error).message}`);
    return 1;
  } finally {
    for (const p of procs.reverse()) await p.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
