import { describe, expect, it } from "vitest";
import { allowedDaemonEnv } from "../../src/node/agent-env.js";

describe("allowedDaemonEnv", () => {
  const daemon = {
    PATH: "/usr/bin:/bin",
    HOME: "/home/op",
    USER: "op",
    LOGNAME: "op",
    SHELL: "/bin/bash",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    LC_TIME: "en_GB.UTF-8",
    TERM: "xterm",
    TZ: "UTC",
    TMPDIR: "/tmp",
    ANTHROPIC_API_KEY: "sk-operator",
    AWS_SECRET_ACCESS_KEY: "aws-secret",
    AGENTHUB_HOME: "/home/op/.agenthub",
    AGENTHUB_INTERNAL_GRPC_AUTH_SHARED_SECRET: "hub-secret",
    agenthub_lower: "also agenthub's",
    UNSET: undefined,
  };

  it("keeps only the base names and LC_*", () => {
    expect(allowedDaemonEnv(daemon)).toEqual({
      PATH: "/usr/bin:/bin",
      HOME: "/home/op",
      USER: "op",
      LOGNAME: "op",
      SHELL: "/bin/bash",
      LANG: "C.UTF-8",
      LC_ALL: "C.UTF-8",
      LC_TIME: "en_GB.UTF-8",
      TERM: "xterm",
      TZ: "UTC",
      TMPDIR: "/tmp",
    });
  });

  it("adds pass_env names, but never an AGENTHUB_* one", () => {
    const env = allowedDaemonEnv(daemon, ["ANTHROPIC_API_KEY", "AGENTHUB_HOME", "NOT_SET_ANYWHERE"]);
    expect(env.ANTHROPIC_API_KEY).toBe("sk-operator");
    expect(env).not.toHaveProperty("AGENTHUB_HOME");
    expect(env).not.toHaveProperty("NOT_SET_ANYWHERE");
    expect(env).not.toHaveProperty("AWS_SECRET_ACCESS_KEY");
    expect(Object.keys(env).filter((k) => k.toUpperCase().startsWith("AGENTHUB_"))).toEqual([]);
  });

  it("an empty daemon environment gives an empty base", () => {
    expect(allowedDaemonEnv({}, ["X"])).toEqual({});
  });
});
