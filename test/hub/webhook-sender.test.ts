import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendWebhook } from "../../src/hub/webhook-sender.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
    await once(s, "close");
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const req = (url: string, extra: Partial<Parameters<typeof sendWebhook>[0]> = {}) => ({
  url,
  headers: { "webhook-id": "msg_1" },
  body: '{"a":1}',
  publicOnly: false,
  timeoutMs: 2_000,
  ...extra,
});

describe("sendWebhook", () => {
  it("POSTs the body with its headers; a 2xx is delivered", async () => {
    let seen: { method?: string; headers?: Record<string, unknown>; body?: string } = {};
    const url = await serve((r, res) => {
      let body = "";
      r.on("data", (c: Buffer) => (body += c));
      r.on("end", () => {
        seen = { method: r.method, headers: r.headers, body };
        res.writeHead(202).end();
      });
    });
    expect(await sendWebhook(req(`${url}/x`))).toEqual({ ok: true, status: 202 });
    expect(seen).toMatchObject({
      method: "POST",
      body: '{"a":1}',
      headers: { "webhook-id": "msg_1", "content-type": "application/json" },
    });
  });

  it("a receiver that does not answer in time, a redirect, or a refused connection is a failure", async () => {
    const hang = await serve(() => {});
    const slow = await sendWebhook(req(hang, { timeoutMs: 200 }));
    expect(slow).toEqual({ ok: false, status: null, error: "no answer within 0.2 s" });
    const redirect = await serve((_r, res) => res.writeHead(302, { location: "http://127.0.0.1:1/" }).end());
    expect(await sendWebhook(req(redirect))).toEqual({ ok: false, status: 302, error: "HTTP 302" });
    const refused = await sendWebhook(req("http://127.0.0.1:1/"));
    expect(refused).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/^ECONNREFUSED/) });
  });

  it("publicOnly refuses private addresses, also when a host name resolves to one", async () => {
    let hits = 0;
    const url = await serve((_r, res) => {
      hits++;
      res.writeHead(200).end();
    });
    const port = new URL(url).port;
    expect(await sendWebhook(req(url, { publicOnly: true }))).toEqual({
      ok: false,
      status: null,
      error: "refused: 127.0.0.1 is a private address",
    });
    const byName = await sendWebhook(req(`http://localhost:${port}/`, { publicOnly: true }));
    expect(byName).toMatchObject({
      ok: false,
      status: null,
      error: expect.stringMatching(/^EPRIVATETARGET: localhost resolves to private address/),
    });
    expect(hits).toBe(0);
    expect(await sendWebhook(req(`http://localhost:${port}/`))).toEqual({ ok: true, status: 200 });
  });

  it("an aborted attempt ends at once", async () => {
    const hang = await serve(() => {});
    const c = new AbortController();
    const p = sendWebhook(req(hang, { signal: c.signal, timeoutMs: 60_000 }));
    c.abort();
    expect(await p).toEqual({ ok: false, status: null, error: "aborted: the hub is stopping" });
  });
});
