import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AcpSession } from "../../src/node/acp-session.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt, SCRIPTED_AGENT } from "../node/helpers/build-once.js";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(ensureBuilt, 120_000);

/**
 * A workdir next to an `outside` folder holding a secret; the scripted agent runs in the cwd `layout`
 * returns. Permission requests are allowed (so only the path rule can stop an ask-permission write).
 */
async function scriptedIn(layout: (dirs: { root: string; work: string; outside: string }) => string) {
  const dir = tempDir("agenthub-scripted-writes-");
  cleanups.push(dir.cleanup);
  const work = join(dir.path, "work");
  const outside = join(dir.path, "outside");
  mkdirSync(work);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "original");
  const cwd = layout({ root: dir.path, work, outside });
  const said: string[] = [];
  const session = await AcpSession.start({
    command: process.execPath,
    args: [SCRIPTED_AGENT],
    cwd,
    env: { ...process.env },
    onEvent: (e) => {
      if (e.type === "permission_request")
        session.respondPermission(e.request_id, { option_id: "allow_once" });
      // Every line the agent says (a tool call starts a new message: the turn's reply is only the last).
      const u = e.type === "session_update" ? e.update : undefined;
      if (u?.sessionUpdate === "agent_message_chunk" && u.content.type === "text") said.push(u.content.text);
    },
  });
  cleanups.push(() => session.stop(1000));
  const replies = async (prompt: string) => {
    said.length = 0;
    await session.prompt(prompt);
    return said.flatMap((t) => t.split("\n")).filter((l) => l !== "");
  };
  return { root: dir.path, work, outside, replies };
}

describe("the scripted agent writes only inside its workdir (by real path)", () => {
  it("refuses `..`, absolute paths, symlinked folders and symlinked files that lead out; nothing is written outside", async () => {
    const { root, outside, replies } = await scriptedIn(({ work, outside }) => {
      symlinkSync(outside, join(work, "link"));
      symlinkSync(join(outside, "secret.txt"), join(work, "secret-link"));
      symlinkSync(join(outside, "new.txt"), join(work, "dangling"));
      symlinkSync(join(outside, "nodir"), join(work, "dangling-dir"));
      return work;
    });
    const attempts = [
      "../outside/dotdot.txt",
      join(outside, "absolute.txt"),
      "link/via-dir.txt",
      "link/sub/deeper.txt",
      "secret-link",
      "dangling",
      "dangling-dir/x.txt",
    ];
    const out = await replies(attempts.map((p) => `write ${p}: pwned`).join("\n"));
    expect(out).toHaveLength(attempts.length);
    attempts.forEach((p, i) => {
      const prefix = `refused to write outside the workdir: ${p} (resolves to `;
      expect(out[i]?.slice(0, prefix.length)).toBe(prefix);
    });
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("original");
    expect(readdirSync(outside)).toEqual(["secret.txt"]);
    expect(readdirSync(root).sort()).toEqual(["outside", "work"]);
  });

  it("still writes inside: nested folders, an inside symlink, `link/..` (resolved in the workdir), a symlinked workdir", async () => {
    const { root, work, outside, replies } = await scriptedIn(({ root, work, outside }) => {
      mkdirSync(join(work, "real"));
      symlinkSync(join(work, "real"), join(work, "alias"));
      symlinkSync(outside, join(work, "link"));
      // The agent's cwd is itself a symlink to the workdir: real paths are compared, so this is inside.
      const viaLink = join(root, "cwd-link");
      symlinkSync(work, viaLink);
      return viaLink;
    });
    const out = await replies("write a/b/c.txt: deep\nwrite alias/ok.txt: aliased\nwrite link/../up.txt: up");
    expect(out).toEqual(["wrote a/b/c.txt", "wrote alias/ok.txt", "wrote link/../up.txt"]);
    expect(readFileSync(join(work, "a", "b", "c.txt"), "utf8")).toBe("deep");
    expect(readFileSync(join(work, "real", "ok.txt"), "utf8")).toBe("aliased");
    // `link/..` is taken lexically inside the workdir, never as outside/.. (the kernel's reading).
    expect(readFileSync(join(work, "up.txt"), "utf8")).toBe("up");
    expect(existsSync(join(root, "up.txt"))).toBe(false);
    expect(readdirSync(outside)).toEqual(["secret.txt"]);
  });

  it("refuses an ask-permission write through a symlinked folder even when the review allows it", async () => {
    const { outside, replies } = await scriptedIn(({ work, outside }) => {
      symlinkSync(outside, join(work, "link"));
      return work;
    });
    const out = await replies("ask-permission write link/granted.txt: pwned");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^refused to write outside the workdir: link\/granted\.txt \(resolves to /);
    expect(readdirSync(outside)).toEqual(["secret.txt"]);
  });
});
