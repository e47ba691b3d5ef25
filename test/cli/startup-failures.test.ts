import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assertCanListen, ListenError, listenErrorFrom } from "../../src/config/listen.js";
import { type CliProcess, spawnCli } from "../helpers/spawn-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let procs: CliProcess[] = [];
let dir: ReturnType<typeof tempDir> | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  for (const p of procs) await p.kill("SIGKILL");
  procs = [];
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  dir?.cleanup();
  dir = undefined;
});

/** Holds a port on 127.0.0.1 the way another program would; resolves with its address. */
async function occupyPort(): Promise<string> {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", resolve));
  const addr = blocker.address();
  if (!addr || typeof addr === "string") throw new Error("no address");
  return `127.0.0.1:${addr.port}`;
}

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  dir ??= tempDir();
  return {
    PATH: process.env.PATH,
    HOME: dir.path,
    AGENTHUB_HOME: join(dir.path, ".agenthub"),
    AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
    ...extra,
  };
}

function start(args: string[], e: NodeJS.ProcessEnv): CliProcess {
  const p = spawnCli(args, e);
  procs.push(p);
  return p;
}

/** stderr is exactly one line: the refusal, with no stack trace. */
function expectOneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l.length > 0);
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe("start-up refusals", () => {
  it("a REST port in use: one stderr line naming the address and [server] listen, exit 1", async () => {
    const busy = await occupyPort();
    const p = start(["serve"], env({ AGENTHUB_SERVER_LISTEN: busy }));
    expect(await p.exit).toBe(1);
    const line = expectOneLine(p.stderr());
    expect(line).toBe(
      `agenthub: cannot listen on ${busy} ([server] listen): address already in use; ` +
        "stop the program using it or set another address ([server] listen in config.toml, or AGENTHUB_SERVER_LISTEN)",
    );
    // Refused before anything was done: no database, no certificates.
    expect(existsSync(join(dir!.path, ".agenthub", "agenthub.db"))).toBe(false);
    expect(existsSync(join(dir!.path, ".agenthub", "internal-grpc"))).toBe(false);
  });

  it("an internal gRPC port in use: one stderr line naming the address and [internal_grpc] listen, exit 1", async () => {
    const busy = await occupyPort();
    const p = start(["serve"], env({ AGENTHUB_INTERNAL_GRPC_LISTEN: busy }));
    expect(await p.exit).toBe(1);
    const line = expectOneLine(p.stderr());
    expect(line).toContain(
      `agenthub: cannot listen on ${busy} ([internal_grpc] listen): address already in use`,
    );
    expect(line).toContain("AGENTHUB_INTERNAL_GRPC_LISTEN");
  });

  it("a node daemon whose [internal_grpc] listen is in use: the same one line, exit 1", async () => {
    const busy = await occupyPort();
    const p = start(["--node-mode"], env({ AGENTHUB_INTERNAL_GRPC_LISTEN: busy }));
    expect(await p.exit).toBe(1);
    const line = expectOneLine(p.stderr());
    expect(line).toContain(
      `agenthub: cannot listen on ${busy} ([internal_grpc] listen): address already in use`,
    );
  });

  it("a port taken after the start-up check (here: by its own gRPC server) is refused the same way", async () => {
    // Both listeners on one free port: each passes the early check, gRPC binds it, then REST cannot.
    const same = `127.0.0.1:${await freePort()}`;
    const p = start(["serve"], env({ AGENTHUB_SERVER_LISTEN: same, AGENTHUB_INTERNAL_GRPC_LISTEN: same }));
    expect(await p.exit).toBe(1);
    const line = expectOneLine(p.stderr());
    expect(line).toContain(`agenthub: cannot listen on ${same} ([server] listen): address already in use`);
  });
});

describe("unknown AGENTHUB_* environment variables", () => {
  it("warn at daemon start naming the closest config key; known non-config variables do not", async () => {
    const p = start(
      ["serve"],
      env({
        AGENTHUB_SERVER_LISTN: "127.0.0.1:9",
        AGENTHUB_LOGING_LEVEL: "debug",
        // Not config keys, but agenthub's own (agents' actor CLI, the data dir): no warning.
        AGENTHUB_ACTOR_ID: "lead",
        AGENTHUB_TEAM_ID: "team_x",
        AGENTHUB_RUN_ID: "run_x",
        AGENTHUB_INTERNAL_GRPC_TARGET: "https://127.0.0.1:1",
        AGENTHUB_INTERNAL_GRPC_TOKEN: "t",
        AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM: "pem",
        AGENTHUB_BIN: "/x/agenthub.js",
      }),
    );
    await p.waitFor(/"msg":"hub listening"/);
    const out = p.stdout() + p.stderr();
    expect(out).toContain(
      "unknown environment variable AGENTHUB_SERVER_LISTN; did you mean AGENTHUB_SERVER_LISTEN?",
    );
    expect(out).toContain(
      "unknown environment variable AGENTHUB_LOGING_LEVEL; did you mean AGENTHUB_LOGGING_LEVEL?",
    );
    const warnings = out.split("\n").filter((l) => l.includes("unknown environment variable"));
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(JSON.parse(w)).toMatchObject({ level: 40, component: "config" });
  });

  it("a node daemon warns too", async () => {
    const busy = await occupyPort();
    // The warning comes first, then the refusal: no certificates are needed to see it.
    const p = start(["node"], env({ AGENTHUB_INTERNAL_GRPC_LISTEN: busy, AGENTHUB_NODE_IDD: "n1" }));
    expect(await p.exit).toBe(1);
    expect(p.stdout()).toContain(
      "unknown environment variable AGENTHUB_NODE_IDD; did you mean AGENTHUB_NODE_ID?",
    );
  });
});

describe("ListenError", () => {
  it("assertCanListen refuses a busy address with the key, and lets port 0 and free ports pass", async () => {
    const busy = await occupyPort();
    await expect(assertCanListen(busy, "server.listen")).rejects.toBeInstanceOf(ListenError);
    await expect(assertCanListen(busy, "server.listen")).rejects.toMatchObject({
      address: busy,
      key: "server.listen",
      code: "EADDRINUSE",
    });
    await expect(assertCanListen("127.0.0.1:0", "internal_grpc.listen")).resolves.toBeUndefined();
    // The probe let go of the port: binding it again works.
    const free = await freePort();
    await assertCanListen(`127.0.0.1:${free}`, "server.listen");
    await assertCanListen(`127.0.0.1:${free}`, "server.listen");
  });

  it("explains system errors by code and anything else (gRPC's bind failure) by its first line", () => {
    const denied = Object.assign(new Error("listen EACCES"), { code: "EACCES" });
    expect(listenErrorFrom(denied, "0.0.0.0:80", "server.listen").message).toBe(
      "cannot listen on 0.0.0.0:80 ([server] listen): permission denied (ports below 1024 need privileges); " +
        "set another address ([server] listen in config.toml, or AGENTHUB_SERVER_LISTEN)",
    );
    const grpc = new Error("No address added out of total 1 resolved errors: [listen EADDRINUSE]\n  at x");
    expect(listenErrorFrom(grpc, "127.0.0.1:50051", "internal_grpc.listen").message).toBe(
      "cannot listen on 127.0.0.1:50051 ([internal_grpc] listen): No address added out of total 1 resolved " +
        "errors: [listen EADDRINUSE]; set another address ([internal_grpc] listen in config.toml, or AGENTHUB_INTERNAL_GRPC_LISTEN)",
    );
    const already = new ListenError("h:1", "server.listen", "x");
    expect(listenErrorFrom(already, "other:2", "internal_grpc.listen")).toBe(already);
  });
});
