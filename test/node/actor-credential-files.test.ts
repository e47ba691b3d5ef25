import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAppError } from "../../src/errors/registry.js";
import { ActorCredentialFiles, TOKEN_FILE_ENV } from "../../src/node/actor-credential-files.js";
import { bwrapArgv } from "../../src/node/sandbox.js";
import { tempDir } from "../helpers/temp-dir.js";

// Member agents' actor credentials live in files the node rewrites on renewal: owner-only, replaced
// atomically, certificates as files (never inline) in mTLS, and mapped read-only into the agent's sandbox.

let dir: ReturnType<typeof tempDir>;
let files: ActorCredentialFiles;
const root = () => join(dir.path, "actor-credentials");

beforeEach(() => {
  dir = tempDir("agenthub-creds-");
  files = new ActorCredentialFiles(root());
});
afterEach(() => dir.cleanup());

const mode = (p: string) => statSync(p).mode & 0o777;

describe("ActorCredentialFiles", () => {
  it("writes a started member's token to a 0600 file the environment points at, and rewrites it on renewal", () => {
    const env = { PATH: "/usr/bin", AGENTHUB_INTERNAL_GRPC_TOKEN: "tok-1" };
    const p = files.prepare("agt_1", env)!;
    const file = p.env[TOKEN_FILE_ENV]!;
    expect(file).toBe(join(p.dir, "token"));
    expect(readFileSync(file, "utf8")).toBe("tok-1");
    expect([mode(root()), mode(p.dir), mode(file)]).toEqual([0o700, 0o700, 0o600]);
    // The start token stays in the environment as the actor CLI's fallback.
    expect(p.env.AGENTHUB_INTERNAL_GRPC_TOKEN).toBe("tok-1");
    expect(p.env.PATH).toBe("/usr/bin");

    files.renew("agt_1", { token: "tok-2" });
    expect(readFileSync(file, "utf8")).toBe("tok-2");
    expect(mode(file)).toBe(0o600);
  });

  it("leaves an agent without an actor token alone, and refuses to renew one", () => {
    expect(files.prepare("agt_2", { PATH: "/usr/bin" })).toBeUndefined();
    let err: unknown;
    try {
      files.renew("agt_2", { token: "tok" });
    } catch (e) {
      err = e;
    }
    expect(isAppError(err) && err.code).toBe("CONFLICT");
    expect(existsSync(join(root(), "agt_2"))).toBe(false);
  });

  it("in mTLS, turns the inline client certificate into files that renewals replace", () => {
    const p = files.prepare("agt_3", {
      AGENTHUB_INTERNAL_GRPC_TOKEN: "tok-1",
      AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM: "cert-1",
      AGENTHUB_INTERNAL_GRPC_CLIENT_KEY_PEM: "key-1",
    })!;
    expect(p.env.AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM).toBeUndefined();
    expect(p.env.AGENTHUB_INTERNAL_GRPC_CLIENT_KEY_PEM).toBeUndefined();
    const cert = p.env.AGENTHUB_INTERNAL_GRPC_CLIENT_CERT!;
    const key = p.env.AGENTHUB_INTERNAL_GRPC_CLIENT_KEY!;
    expect([readFileSync(cert, "utf8"), readFileSync(key, "utf8"), mode(key)]).toEqual([
      "cert-1",
      "key-1",
      0o600,
    ]);
    files.renew("agt_3", { token: "tok-2", client_cert_pem: "cert-2", client_key_pem: "key-2" });
    expect([readFileSync(cert, "utf8"), readFileSync(key, "utf8")]).toEqual(["cert-2", "key-2"]);
  });

  it("never takes an agent id as a path, and removes an agent's folder", () => {
    expect(() => files.prepare("../x", { AGENTHUB_INTERNAL_GRPC_TOKEN: "t" })).toThrow("invalid agent id");
    const p = files.prepare("agt_4", { AGENTHUB_INTERNAL_GRPC_TOKEN: "t" })!;
    files.remove("agt_4");
    expect(existsSync(p.dir)).toBe(false);
  });
});

describe("the sandbox and the credential folder", () => {
  it("maps only the agent's own folder back, read-only, inside the hidden data dir", () => {
    const argv = bwrapArgv({
      secret: ["/srv/hub/.agenthub"],
      workspaces: ["/srv/projects"],
      tools: [],
      workdir: "/srv/projects/a",
      readOnly: ["/srv/hub/.agenthub/node-main/actor-credentials/agt_1"],
      command: "/usr/bin/node",
      args: [],
    });
    const joined = argv.join(" ");
    const hide = joined.indexOf("--tmpfs /srv/hub/.agenthub ");
    const mapBack = joined.indexOf(
      "--ro-bind /srv/hub/.agenthub/node-main/actor-credentials/agt_1 /srv/hub/.agenthub/node-main/actor-credentials/agt_1",
    );
    expect(hide).toBeGreaterThan(-1);
    // After the data dir is hidden, or the tmpfs would cover it again.
    expect(mapBack).toBeGreaterThan(hide);
    expect(joined).not.toContain("--bind /srv/hub/.agenthub/node-main");
  });
});
