import { describe, expect, it } from "vitest";
import { ENV_KEYS, envName, unknownEnvWarnings } from "../../src/config/env-overrides.js";

describe("unknownEnvWarnings", () => {
  it("is silent for config keys, agenthub's own variables and everything not AGENTHUB_*", () => {
    const env: NodeJS.ProcessEnv = {
      PATH: "/bin",
      HOME: "/h",
      agenthub_server_listen: "x",
      AGENTHUB_HOME: "/h/.agenthub",
      AGENTHUB_BIN: "/x",
      AGENTHUB_ACTOR_ID: "a",
      AGENTHUB_TEAM_ID: "t",
      AGENTHUB_RUN_ID: "r",
      AGENTHUB_INTERNAL_GRPC_TARGET: "https://h:1",
      AGENTHUB_INTERNAL_GRPC_TOKEN: "t",
      AGENTHUB_INTERNAL_GRPC_CA_CERT: "/ca",
      AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM: "pem",
      AGENTHUB_INTERNAL_GRPC_CLIENT_CERT: "/c",
      AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM: "pem",
      AGENTHUB_INTERNAL_GRPC_CLIENT_KEY: "/k",
      AGENTHUB_INTERNAL_GRPC_CLIENT_KEY_PEM: "pem",
      AGENTHUB_NODE_AGENT_ID: "agent_1",
    };
    for (const [path] of ENV_KEYS) env[envName(path)] = "1";
    expect(unknownEnvWarnings(env)).toEqual([]);
  });

  it("names the closest key for a typo, a transposition, wrong case or a missing table path", () => {
    expect(
      unknownEnvWarnings({
        AGENTHUB_SERVER_LISTN: "x",
        AGENTHUB_SERVER_LITSEN: "x",
        AGENTHUB_server_listen: "x",
        AGENTHUB_GRPC_LISTEN: "x",
        AGENTHUB_ACTORID: "x",
      }),
    ).toEqual([
      "unknown environment variable AGENTHUB_ACTORID; did you mean AGENTHUB_ACTOR_ID?",
      "unknown environment variable AGENTHUB_GRPC_LISTEN; did you mean AGENTHUB_INTERNAL_GRPC_LISTEN?",
      "unknown environment variable AGENTHUB_SERVER_LISTN; did you mean AGENTHUB_SERVER_LISTEN?",
      "unknown environment variable AGENTHUB_SERVER_LITSEN; did you mean AGENTHUB_SERVER_LISTEN?",
      "unknown environment variable AGENTHUB_server_listen; did you mean AGENTHUB_SERVER_LISTEN?",
    ]);
  });

  it("suggests nothing when nothing is close, and says how overrides are named", () => {
    expect(unknownEnvWarnings({ AGENTHUB_FOO: "1", AGENTHUB_: "1" })).toEqual([
      "unknown environment variable AGENTHUB_; config keys are overridden by AGENTHUB_<TABLE>_<KEY> (e.g. AGENTHUB_SERVER_LISTEN for [server] listen)",
      "unknown environment variable AGENTHUB_FOO; config keys are overridden by AGENTHUB_<TABLE>_<KEY> (e.g. AGENTHUB_SERVER_LISTEN for [server] listen)",
    ]);
  });
});
