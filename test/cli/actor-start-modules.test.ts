import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawnCli } from "../helpers/spawn-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * What `agenthub actor …` loads, read from the process itself: a loader hook appends every module
 * URL the ESM loader loads to a file, and at exit the CommonJS modules `require` loaded. Agents run
 * the CLI on every tool call, so each command must load only what it needs.
 */
const HOOKS = `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.AGENTHUB_TEST_MODULE_LOG, url + "\\n");
  return next(url, context);
}`;
const PRELOAD = `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
const require = createRequire(process.execPath);
process.on("exit", () => {
  const cjs = Object.keys(require.cache).map((p) => "file://" + p + "\\n").join("");
  appendFileSync(process.env.AGENTHUB_TEST_MODULE_LOG, cjs);
});`;
const PRELOAD_URL = `data:text/javascript,${encodeURIComponent(PRELOAD)}`;

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => dir?.cleanup());

async function modulesOf(args: string[], env: NodeJS.ProcessEnv = {}) {
  dir = tempDir();
  const log = join(dir.path, "modules.log");
  const p = spawnCli(args, {
    PATH: process.env.PATH,
    HOME: dir.path,
    AGENTHUB_HOME: join(dir.path, ".agenthub"),
    AGENTHUB_TEST_MODULE_LOG: log,
    NODE_OPTIONS: `--import ${PRELOAD_URL}`,
    ...env,
  });
  const code = await p.exit;
  const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  const packages = new Set(
    urls.flatMap((u) => {
      const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
      return m ? [m[1]!] : [];
    }),
  );
  const ours = urls.filter((u) => u.includes("/dist/src/")).map((u) => u.replace(/^.*\/dist\/src\//, ""));
  return { code, stdout: p.stdout(), stderr: p.stderr(), packages, ours };
}

describe("agenthub actor start-up", () => {
  it("actor help loads no package and only the CLI's own dispatch and help text", async () => {
    const r = await modulesOf(["actor", "help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/commands: inbox, receive, ack, send, .*permission-review-respond, mcp/);
    expect([...r.packages]).toEqual([]);
    expect(
      r.ours.every((m) => m.startsWith("cli/") || m.startsWith("errors/")),
      r.ours.join(" "),
    ).toBe(true);
    expect(r.ours).not.toContain("cli/actor-operations.js");
  });

  it("actor help <command> and an unknown command load no package either", async () => {
    const one = await modulesOf(["actor", "help", "team-task-create"]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain("--title T [--assigned-member-id M] [--priority N]");
    expect([...one.packages]).toEqual([]);
    const unknown = await modulesOf(["actor", "frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown actor command: frobnicate");
    expect([...unknown.packages]).toEqual([]);
  });

  it("a call loads gRPC, protobuf and the argument schemas, but no server, database, TOML or JWT code", async () => {
    // A hub that is not there: the call fails, after loading everything it needs. No fastify, pino,
    // better-sqlite3, jose, smol-toml, MCP or ACP SDK.
    const r = await modulesOf(["actor", "inbox", "--json"], {
      AGENTHUB_INTERNAL_GRPC_TARGET: "http://127.0.0.1:1",
      AGENTHUB_INTERNAL_GRPC_TOKEN: "not-a-real-token",
    });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).code).toBe("INTERNAL_GRPC_UNAVAILABLE");
    expect(r.packages).toContain("@grpc/grpc-js");
    expect(r.packages).toContain("@bufbuild/protobuf");
    expect(r.packages).toContain("zod");
    const allowed = new Set(["@grpc/grpc-js", "@bufbuild/protobuf", "zod", "@js-sdsl/ordered-map"]);
    expect([...r.packages].filter((p) => !allowed.has(p))).toEqual([]);
  });
});
