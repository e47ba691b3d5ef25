import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";

/**
 * Inputs that never reach a route handler — the router's and Node's HTTP parser's refusals, deep and
 * huge JSON — still answer in the contract: `{error, code, request_id}` with `X-Request-Id`.
 */

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
beforeAll(async () => {
  h = await startHubWithRoot();
});
afterAll(() => h.close());

type ErrorBody = { error: string; code: string; request_id: string; details?: Record<string, unknown> };

async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(`${h.url}${path}`, init);
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, body, requestId: res.headers.get("x-request-id") };
}

function inContract(r: { body: ErrorBody; requestId: string | null }): void {
  expect(typeof r.body.error).toBe("string");
  expect(r.body.code).toMatch(/^[A-Z][A-Z_]+$/);
  expect(r.body.code.startsWith("FST_")).toBe(false);
  expect(r.body.request_id).toBe(r.requestId);
}

describe("router and parser refusals answer in the contract", () => {
  it("bad percent-encoding in the path: 400 BAD_REQUEST", async () => {
    const r = await raw("/api/runs/%zz", { headers: { authorization: `Bearer ${h.rootToken}` } });
    expect([r.status, r.body.code]).toEqual([400, "BAD_REQUEST"]);
    inContract(r);
  });

  it("an over-long path parameter: 414 URI_TOO_LONG", async () => {
    const r = await raw(`/api/runs/${"a".repeat(5000)}`, {
      headers: { authorization: `Bearer ${h.rootToken}` },
    });
    expect([r.status, r.body.code, r.body.error]).toEqual([414, "URI_TOO_LONG", "path parameter too long"]);
    inContract(r);
  });

  it("a malformed header line (refused by Node's parser): 400 in the contract, then the connection closes", async () => {
    const port = new URL(h.url).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(port), "127.0.0.1");
      let out = "";
      s.on("data", (c) => {
        out += c.toString();
      });
      s.on("end", () => resolve(out));
      s.on("error", reject);
      s.write("GET /health HTTP/1.1\r\nHost: x\r\nBad\u0001Header: y\r\n\r\n");
    });
    const [head, body] = answer.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400/);
    const id = /x-request-id: (\S+)/i.exec(head ?? "")?.[1];
    const parsed = JSON.parse(body ?? "{}") as ErrorBody;
    expect(parsed.code).toBe("BAD_REQUEST");
    expect(parsed.request_id).toBe(id);
  });

  it("an unsupported content type: 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const r = await raw("/api/login", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect([r.status, r.body.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    inContract(r);
  });

  it("JSON nested thousands deep: 400 naming the limit; a 1 MB+ body: 413", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const r = await raw("/api/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: deep,
    });
    expect([r.status, r.body.code]).toEqual([400, "BAD_REQUEST"]);
    expect(r.body.error).toContain("nested deeper than 64 levels");
    inContract(r);
    const huge = await raw("/api/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "x".repeat(1_100_000), password: "p" }),
    });
    expect([huge.status, huge.body.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    inContract(huge);
  });

  it("a schema refusal names its field; an unknown body key is refused with its name", async () => {
    const long = await api<ErrorBody>(h.url, "POST", "/api/login", {
      body: { username: "u".repeat(300), password: "x" },
    });
    expect([long.status, long.body.code]).toEqual([400, "BAD_REQUEST"]);
    expect(long.body.error).toMatch(/^body\.username: /);
    expect(long.body.details?.field).toBe("username");
    const extra = await api<ErrorBody>(h.url, "POST", "/api/login", {
      body: { username: "u", password: "x", pasword: "y" },
    });
    expect([extra.status, extra.body.error]).toEqual([400, 'body.pasword: unknown key "pasword"']);
    const nul = await api<ErrorBody>(h.url, "POST", "/api/login", {
      body: { username: "a\u0000b", password: "x" },
    });
    expect([nul.status, nul.body.error]).toEqual([400, "body.username: must not contain NUL bytes"]);
  });
});
