import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/spawn-cli.js";
import { processesMentioning } from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let demo: ChildProcess | undefined;
afterEach(async () => {
  // Only if the test failed before the demo exited: SIGTERM its whole process group (hub and nodes
  // are in it; the nodes stop their agents).
  if (demo && demo.exitCode === null && demo.signalCode === null) {
    const exited = once(demo, "exit");
    process.kill(-demo.pid!, "SIGTERM");
    await exited;
  }
  demo = undefined;
  for (const d of dirs) d.cleanup();
  dirs = [];
});

describe("agenthub demo", () => {
  it("runs hub and two nodes as processes, prints the run's timeline, exits 0 and leaves nothing behind", async () => {
    // The demo makes its temp root with os.tmpdir(): point TMPDIR at a dir of ours to see it go.
    const tmp = tempDir("agenthub-demo-test-");
    dirs.push(tmp);
    demo = spawn(process.execPath, [BIN, "demo"], {
      env: { PATH: process.env.PATH, HOME: tmp.path, TMPDIR: tmp.path },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    let err = "";
    demo.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
    });
    demo.stderr!.on("data", (c: Buffer) => {
      err += c.toString();
    });
    const [code] = await once(demo, "close");
    expect(code, `${out}\n${err}`).toBe(0);

    const lines = out.split("\n").map((l) => l.replace(/^\[\s*\d+\.\d+s\] /, ""));
    expect(lines.some((l) => /^hub up at http:\/\/127\.0\.0\.1:\d+ \(TLS internal gRPC\)/.test(l))).toBe(
      true,
    );
    expect(lines.filter((l) => /^node node-[ab] started as its own process/.test(l))).toHaveLength(2);
    // The run's page in the web console, while the demo runs.
    const run = lines.find((l) => l.startsWith("run run_"))?.split(" ")[1];
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^console: http://127\\.0\\.0\\.1:\\d+/runs/${run}( |$)`)),
    );
    const order = [
      "run.created",
      "step.dispatched plan",
      "step.completed plan",
      "review.requested build  lead",
      "step.awaiting_review build  lead",
      "review.resolved build  lead",
      "step.completed build",
      "run.completed",
    ];
    const idx = order.map((k) => lines.indexOf(k));
    expect(
      idx.every((i) => i >= 0),
      `timeline:\n${out}`,
    ).toBe(true);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(lines).toContain("step.completed docs");
    expect(lines).toContain('output of build: "permission granted: wrote feature.txt\\nbuilt"');
    expect(lines).toContain('builder\'s worktree has feature.txt: "the feature"');
    expect(lines).toContain("run completed; stopping nodes and hub");
    expect(out).not.toContain("demo failed");

    // Its temp root is removed and no process (hub, node, agent) it started is still alive.
    expect(readdirSync(tmp.path)).toEqual([]);
    expect(processesMentioning(tmp.path)).toEqual([]);
  }, 60_000);
});
