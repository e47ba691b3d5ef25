import { execFileSync } from "node:child_process";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type HubProc,
  hubEnv,
  issueNodeCerts,
  joinRoot,
  type NodeProc,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * The attack the issue reproduced, as a hostile user would run it: an agent whose command prints the
 * hub's keys and its environment. With the sandbox the files are not there and no daemon variable
 * reaches the agent; nothing secret appears in any answer, event or log; a forged token gets nowhere.
 */

const CANARY_VALUE = "canary-value-7f3a91";
let bwrapWorks = false;
beforeAll(() => {
  try {
    execFileSync("bwrap", ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "true"], {
      stdio: "ignore",
    });
    bwrapWorks = true;
  } catch {
    bwrapWorks = false;
  }
});

let dirs: ReturnType<typeof tempDir>[] = [];
let procs: (HubProc | NodeProc)[] = [];
afterEach(async () => {
  for (const p of procs.reverse()) await p.proc.kill("SIGTERM");
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = [];
});

function scratch(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

type ErrorBody = { error: string; code: string; details?: { stderr_tail?: string[] } };

/** Every secret file in a cert dir, as the base64 body lines an attacker would print. */
function secretsIn(certDir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(certDir)) {
    if (!f.endsWith(".key")) continue;
    const body = readFileSync(join(certDir, f), "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("-----"));
    out.push(...body);
  }
  return out;
}

/** A command that tries to steal: cats every given file to stderr, dumps the canaries, then fails. */
function thief(files: string[]): { command: string; args: string[] } {
  const cats = files.map((f) => `cat '${f}' >&2 || echo "hidden: ${f}" >&2`).join("; ");
  return {
    command: "sh",
    args: ["-c", `${cats}; env | grep -i canary >&2; echo "thief-done" >&2; exit 3`],
  };
}

async function hubWithUsers() {
  const home = scratch();
  const projects = join(home, "projects");
  mkdirSync(join(projects, "alice"), { recursive: true });
  mkdirSync(join(projects, "root"), { recursive: true });
  const env = {
    ...hubEnv(home, [projects]),
    AGENTHUB_CANARY_TOKEN: CANARY_VALUE,
    PLAIN_CANARY_SECRET: CANARY_VALUE,
  };
  const hub = await startHubProc(env);
  procs.push(hub);
  const root = await joinRoot(hub);
  const ch = await api<{ join_token: string; pin: string }>(hub.url, "POST", "/api/admin/join-challenges", {
    token: root,
  });
  const joined = await api<{ token: string }>(hub.url, "POST", "/api/join", {
    body: {
      join_token: ch.body.join_token,
      pin: ch.body.pin,
      username: "alice",
      password: "alice's password",
    },
  });
  expect(joined.status).toBe(201);
  const certDir = join(home, ".agenthub", "internal-grpc");
  return { hub, root, alice: joined.body.token, projects, certDir, dataDir: join(home, ".agenthub") };
}

/** Everything a user or operator can read back: the agent, its events, the hub's log so far. */
async function everythingVisible(
  hub: HubProc,
  token: string,
  agentId: string,
  answers: unknown[],
): Promise<string> {
  const agent = await api(hub.url, "GET", `/api/agents/${agentId}`, { token });
  const events = await api(hub.url, "GET", `/api/agents/${agentId}/events?limit=1000`, { token });
  return JSON.stringify([answers, agent.body, events.body]) + hub.proc.stdout() + hub.proc.stderr();
}

describe("agents never hold the keys", () => {
  it("a non-root user's and root's agent cannot read the hub's keys or its environment; nothing leaks", async () => {
    const { hub, root, alice, projects, certDir, dataDir } = await hubWithUsers();
    const secrets = secretsIn(certDir);
    expect(secrets.length).toBeGreaterThan(5); // ca, server, client and signing keys exist to be stolen
    const targets = [
      join(certDir, "token_signing.key"),
      join(certDir, "ca.key"),
      join(certDir, "client.key"),
      join(dataDir, "agenthub.db"),
    ];
    for (const [who, token] of [
      ["alice", alice],
      ["root", root],
    ] as const) {
      const created = await api<{ id: string } & ErrorBody>(hub.url, "POST", "/api/agents", {
        token,
        body: { name: `thief-${who}`, ...thief(targets), workdir: join(projects, who) },
      });
      if (!bwrapWorks && who === "alice") {
        // Degraded mode: without a sandbox only root may run its own command.
        expect([created.status, created.body.code]).toEqual([403, "FORBIDDEN"]);
        continue;
      }
      expect(created.status).toBe(201);
      const started = await api<ErrorBody>(hub.url, "POST", `/api/agents/${created.body.id}/start`, {
        token,
      });
      expect([started.status, started.body.code]).toEqual([502, "AGENT_EXITED"]);
      const tail = (started.body.details?.stderr_tail ?? []).join("\n");
      expect(tail).toContain("thief-done"); // the tail is complete: the attempt ran to its end
      if (bwrapWorks) {
        for (const t of targets) expect(tail).toContain(`hidden: ${t}`);
      }
      expect(tail).not.toContain(CANARY_VALUE);
      expect(tail.toLowerCase()).not.toContain("canary");
      const visible = await everythingVisible(hub, token, created.body.id, [created.body, started.body]);
      if (bwrapWorks) for (const s of secrets) expect(visible).not.toContain(s);
      expect(visible).not.toContain(CANARY_VALUE);
    }
  });

  it("a forged token gets nowhere: HS256 with anything an agent could read, EdDSA with another key, or any key of a node's cert dir", async () => {
    const { hub, projects } = await hubWithUsers();
    const nodeCerts = join(scratch(), "node-certs");
    await issueNodeCerts(hub.env, nodeCerts);
    const port = Number(
      /"msg":"internal gRPC listening"[^\n]*"port":(\d+)|"port":(\d+)[^\n]*"msg":"internal gRPC listening"/
        .exec(hub.proc.stdout())
        ?.slice(1)
        .find(Boolean),
    );
    expect(port).toBeGreaterThan(0);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      role: "admin",
      actor_id: "lead",
      run_id: "r1",
      team_id: "t1",
      permissions: ["mailbox:read"],
    };
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("agenthub")
      .setAudience("agenthub-internal")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode("whatever-an-agent-could-read-from-its-sandbox"));
    const eddsa = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer("agenthub")
      .setAudience("agenthub-internal")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(generateKeyPairSync("ed25519").privateKey);
    // Everything `certs issue-node` hands a node, tried as signing material: private keys with their
    // algorithm, and every file's bytes as an HS256 secret.
    const fromNode: string[] = [];
    for (const f of readdirSync(nodeCerts)) {
      const bytes = readFileSync(join(nodeCerts, f));
      const sign = (alg: string, key: Parameters<SignJWT["sign"]>[0]) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg })
          .setIssuer("agenthub")
          .setAudience("agenthub-internal")
          .setIssuedAt(now)
          .setExpirationTime(now + 300)
          .sign(key);
      fromNode.push(await sign("HS256", new Uint8Array(bytes)));
      let key: ReturnType<typeof createPrivateKey> | undefined;
      try {
        key = createPrivateKey(bytes);
      } catch {
        key = undefined;
      }
      if (key) fromNode.push(await sign(key.asymmetricKeyType === "ed25519" ? "EdDSA" : "ES256", key));
    }
    expect(fromNode.length).toBeGreaterThanOrEqual(5); // ca.crt, server.crt, server.key (x2), token_signing.pub
    const ca = readFileSync(join(hub.env.AGENTHUB_HOME!, "internal-grpc", "ca.crt"), "utf8");
    const actor = (token: string) =>
      spawnCli(["actor", "inbox"], {
        PATH: process.env.PATH,
        HOME: projects,
        AGENTHUB_INTERNAL_GRPC_TARGET: `https://127.0.0.1:${port}`,
        AGENTHUB_INTERNAL_GRPC_TOKEN: token,
        AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM: ca,
      });
    // The control: the hub's own key passes authentication (the run does not exist, but the token is good).
    const real = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer("agenthub")
      .setAudience("agenthub-internal")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(
        createPrivateKey(readFileSync(join(hub.env.AGENTHUB_HOME!, "internal-grpc", "token_signing.key"))),
      );
    const control = actor(real);
    await control.exit;
    expect(control.stderr()).not.toContain("invalid token");
    for (const token of [hs256, eddsa, ...fromNode]) {
      const cli = actor(token);
      expect(await cli.exit).not.toBe(0);
      expect(cli.stderr()).toContain("invalid token");
    }
  });

  it("a remote node's agent cannot read the node's certificates, and no node variable reaches it", async () => {
    const { hub, root } = await hubWithUsers();
    const certs = join(scratch(), "node-certs");
    await issueNodeCerts(hub.env, certs);
    const nodeHome = scratch();
    const work = join(nodeHome, "projects", "w");
    mkdirSync(work, { recursive: true });
    const node = await startNodeProc({
      ...nodeEnv(nodeHome, "n-sec", certs, [join(nodeHome, "projects")]),
      AGENTHUB_CANARY_TOKEN: CANARY_VALUE,
      PLAIN_CANARY_SECRET: CANARY_VALUE,
    });
    procs.push(node);
    const reg = await api(hub.url, "POST", "/api/admin/agent-nodes", {
      token: root,
      body: { id: "n-sec", name: "n-sec", grpc_target: `127.0.0.1:${node.port}` },
    });
    expect(reg.status).toBe(201);
    const targets = [join(certs, "server.key"), join(certs, "token_signing.pub")];
    const created = await api<{ id: string }>(hub.url, "POST", "/api/agents", {
      token: root,
      body: { name: "remote-thief", ...thief(targets), workdir: work, node_id: "n-sec" },
    });
    expect(created.status).toBe(201);
    const started = await api<ErrorBody>(hub.url, "POST", `/api/agents/${created.body.id}/start`, {
      token: root,
    });
    expect([started.status, started.body.code]).toEqual([502, "AGENT_EXITED"]);
    const tail = (started.body.details?.stderr_tail ?? []).join("\n");
    expect(tail).toContain("thief-done");
    if (bwrapWorks) for (const t of targets) expect(tail).toContain(`hidden: ${t}`);
    expect(tail).not.toContain(CANARY_VALUE);
    const visible = await everythingVisible(hub, root, created.body.id, [started.body]);
    if (bwrapWorks) for (const s of secretsIn(certs)) expect(visible).not.toContain(s);
    expect(visible + node.proc.stdout() + node.proc.stderr()).not.toContain(CANARY_VALUE);
  });
});
