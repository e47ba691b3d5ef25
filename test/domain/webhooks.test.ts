import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { slackText, webhookBody } from "../../src/domain/webhook-message.js";
import {
  DISABLE_AFTER_MS,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  retryDelayMs,
  shouldDisable,
} from "../../src/domain/webhook-schedule.js";
import { webhookHeaders, webhookSignature } from "../../src/domain/webhook-signature.js";
import { isPrivateAddress, parseWebhookUrl } from "../../src/domain/webhook-target.js";
import { isAppError } from "../../src/errors/registry.js";

describe("webhook targets", () => {
  it("classifies loopback, link-local, private and reserved addresses (v4, v6, mapped) as private", () => {
    for (const ip of [
      "127.0.0.1",
      "127.255.0.9",
      "10.0.0.1",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fe80::1",
      "fe80::1%eth0",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:a9fe:a9fe",
      "64:ff9b::a00:1",
      "not-an-ip",
    ]) {
      expect({ ip, private: isPrivateAddress(ip) }).toEqual({ ip, private: true });
    }
    for (const ip of [
      "93.184.215.14",
      "8.8.8.8",
      "172.32.0.1",
      "172.15.255.255",
      "100.128.0.1",
      "192.169.0.1",
      "2606:4700::1111",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
    ]) {
      expect({ ip, private: isPrivateAddress(ip) }).toEqual({ ip, private: false });
    }
  });

  it("accepts http(s) URLs only, without credentials", () => {
    expect(parseWebhookUrl("https://example.com/a?b=1").href).toBe("https://example.com/a?b=1");
    for (const url of ["ftp://x/y", "https://u@example.com", "https://:p@example.com", "nope", "http://"]) {
      let err: unknown;
      try {
        parseWebhookUrl(url);
      } catch (e) {
        err = e;
      }
      expect(isAppError(err) && err.code, url).toBe("WEBHOOK_URL_INVALID");
    }
  });
});

describe("webhook retry schedule", () => {
  it("is Svix's: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with ±10 % jitter, then nothing", () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(RETRY_DELAYS_MS).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6]);
    for (let n = 1; n < MAX_ATTEMPTS; n++) {
      const base = RETRY_DELAYS_MS[n - 1]!;
      expect(retryDelayMs(n, 0)).toBe(Math.round(base * 0.9));
      expect(retryDelayMs(n, 0.5)).toBe(base);
      expect(retryDelayMs(n, 0.999_999)).toBeLessThanOrEqual(Math.round(base * 1.1));
    }
    expect(retryDelayMs(MAX_ATTEMPTS, 0.5)).toBeNull();
    expect(retryDelayMs(0, 0.5)).toBeNull();
  });

  it("disables an endpoint after five days of failures, not before", () => {
    expect(shouldDisable(null, 10 * DISABLE_AFTER_MS)).toBe(false);
    expect(shouldDisable(1000, 1000 + DISABLE_AFTER_MS - 1)).toBe(false);
    expect(shouldDisable(1000, 1000 + DISABLE_AFTER_MS)).toBe(true);
  });
});

describe("webhook signatures", () => {
  const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;

  it("are what the standardwebhooks package signs and verifies", () => {
    const now = Date.now();
    const body = JSON.stringify({ type: "run.completed", data: { a: "é" } });
    const headers = webhookHeaders(secret, "msg_1", now, body);
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(now / 1000)));
    expect(headers["webhook-signature"]).toBe(new Webhook(secret).sign("msg_1", new Date(now), body));
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: "run.completed", data: { a: "é" } });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_2" })).toThrow();
    expect(webhookSignature(secret, "msg_1", 1, body)).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it("carry the attempt's timestamp, which receivers check (5 minutes' tolerance)", () => {
    const body = "{}";
    const old = Date.now() - 10 * 60_000;
    const headers = webhookHeaders(secret, "msg_1", old, body);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/too old/);
    vi.useFakeTimers({ toFake: ["Date"], now: old });
    try {
      expect(new Webhook(secret).verify(body, headers)).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("webhook bodies", () => {
  const event = {
    id: "evt_1",
    type: "run.failed" as const,
    created_at: Date.UTC(2025, 0, 2, 3, 4, 5),
    data: {
      run: {
        id: "run_1",
        error: { code: "AGENT_EXITED", message: "exit 1 <boom> & more" },
        console_path: "/runs/run_1",
      },
      team: { id: "team_1", name: "a<b>", console_path: "/teams/team_1" },
    },
  };

  it("standard: {type, timestamp, data} with console paths made absolute URLs", () => {
    expect(JSON.parse(webhookBody("standard", event, "https://hub.test/"))).toEqual({
      type: "run.failed",
      timestamp: "2025-01-02T03:04:05.000Z",
      data: {
        run: {
          id: "run_1",
          error: { code: "AGENT_EXITED", message: "exit 1 <boom> & more" },
          url: "https://hub.test/runs/run_1",
        },
        team: { id: "team_1", name: "a<b>", url: "https://hub.test/teams/team_1" },
      },
    });
  });

  it('slack: {"text"} with links and Slack\'s control characters escaped', () => {
    expect(JSON.parse(webhookBody("slack", event, "https://hub.test"))).toEqual({
      text: ":x: Run <https://hub.test/runs/run_1|run_1> of team <https://hub.test/teams/team_1|a&lt;b&gt;> failed: AGENT_EXITED exit 1 &lt;boom&gt; &amp; more",
    });
    expect(slackText("node.online", { node: { name: "n1", url: "https://h/nodes/n1" } })).toBe(
      ":large_green_circle: Agent node <https://h/nodes/n1|n1> is online again.",
    );
  });
});
