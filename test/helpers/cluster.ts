import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api, parseBanner } from "./hub-harness.js";
import { type CliProcess, spawnCli } from "./spawn-cli.js";

/** A real hub process on loopback (REST + TLS gRPC on port 0) with its own HOME. */
export interface HubProc {
  proc: CliProcess;
  url: string;
  env: NodeJS.ProcessEnv;
}

export function hubEnv(home: string, safePaths: string[]): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AGENTHUB_HOME: join(home, ".agenthub"),
    AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
    AGENTHUB_SAFE_PATHS: safePaths.join(","),
    AGENTHUB_NODE_PROBE_INTERVAL_SECONDS: "0.5",
    AGENTHUB_NODE_OFFLINE_GRACE_SECONDS: "1",
  };
}

export async function startHubProc(env: NodeJS.ProcessEnv): Promise<HubProc> {
  const proc = spawnCli(["serve"], env);
  const url = (await proc.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1]!;
  return { proc, url, env };
}

export async function joinRoot(hub: HubProc): Promise<string> {
  await hub.proc.waitFor(/pin:\s+\d{6}/);
  const { join_token, pin } = parseBanner(hub.proc.stderr());
  const r = await api<{ token: string }>(hub.url, "POST", "/api/join", {
    body: { join_token, pin, username: "root", password: "long enough pw" },
  });
  return r.body.token;
}

/** Issues node certificates on the hub (`agenthub certs issue-node`) into `certDir`. */
export async function issueNodeCerts(hubEnvVars: NodeJS.ProcessEnv, certDir: string): Promise<void> {
  const p = spawnCli(
    ["certs", "issue-node", "--name", "localhost", "--ip", "127.0.0.1", "--out", certDir],
    hubEnvVars,
  );
  if ((await p.exit) !== 0) throw new Error(`issue-node failed: ${p.stderr()}`);
}

export interface NodeProc {
  proc: CliProcess;
  port: number;
  env: NodeJS.ProcessEnv;
}

export function nodeEnv(home: string, id: string, certDir: string, safePaths: string[]): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AGENTHUB_HOME: join(home, ".agenthub"),
    AGENTHUB_NODE_ID: id,
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_SECURITY_CERT_DIR: certDir,
    AGENTHUB_SAFE_PATHS: safePaths.join(","),
    AGENTHUB_WORKTREE_DEFAULT_ROOT: join(home, "worktrees"),
  };
}

export async function startNodeProc(env: NodeJS.ProcessEnv): Promise<NodeProc> {
  const proc = spawnCli(["--node-mode"], env);
  const port = Number(
    (await proc.waitFor(/"msg":"node listening"/)) && /"port":(\d+)/.exec(proc.stdout())![1],
  );
  return { proc, port, env };
}

/** A git repo with one commit on `main`, for create_worktree agents. */
export function makeRepo(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, "README.md"), "repo\n");
  git("add", ".");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "init");
  return dir;
}
