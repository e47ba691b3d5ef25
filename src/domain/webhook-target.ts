import { isIP } from "node:net";
import { AppError } from "../errors/registry.js";

/**
 * Where webhooks may point. Only `http:` and `https:` URLs, without user name or password (a secret in
 * a URL ends up in logs and proxies; the signature is what authenticates the hub). The SSRF stance:
 * root may target anything; a webhook created by anyone else may not reach loopback, link-local,
 * private, shared (CGNAT), multicast or reserved addresses unless `[webhooks] allow_private_targets`
 * is true — checked when it is created and again for every address its host resolves to at delivery
 * (so a name that later resolves to 127.0.0.1 is refused too).
 */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("WEBHOOK_URL_INVALID", { field: "url" }, { message: "url must be an absolute URL" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError(
      "WEBHOOK_URL_INVALID",
      { field: "url", scheme: url.protocol.replace(/:$/, "") },
      { message: "url must use http or https" },
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new AppError(
      "WEBHOOK_URL_INVALID",
      { field: "url" },
      { message: "url must not carry a user name or password (the signature authenticates the hub)" },
    );
  }
  if (url.hostname === "") {
    throw new AppError("WEBHOOK_URL_INVALID", { field: "url" }, { message: "url must name a host" });
  }
  return url;
}

/** The host of a URL without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** `scheme://host[:port]` of a URL: what logs and other people's notifications may show of it. */
export function urlOrigin(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    return "(invalid url)";
  }
}

type Range = readonly [prefix: readonly number[], bits: number];

// IPv4 ranges that are not the public internet: this network, private, CGNAT, loopback, link-local,
// IETF protocol assignments, benchmarking, multicast and reserved (with broadcast).
const V4_RANGES: readonly Range[] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[224], 4],
  [[240], 4],
];

// IPv6: unspecified and loopback (::/127), unique local, link-local, site-local (deprecated), multicast.
const V6_RANGES: readonly Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 127],
  [[0xfc], 7],
  [[0xfe, 0x80], 10],
  [[0xfe, 0xc0], 10],
  [[0xff], 8],
];

function inRange(bytes: readonly number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function v4Bytes(ip: string): number[] {
  return ip.split(".").map(Number);
}

function v6Bytes(ip: string): number[] {
  let text = ip.replace(/%.*$/, "");
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = v4Bytes(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g || "0", 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * Whether an IP address (v4 or v6) is loopback, link-local, private or otherwise not a public internet
 * address. IPv4-mapped and NAT64 (`64:ff9b::/96`) IPv6 addresses are judged by their IPv4 address.
 * Anything that is not an IP address counts as private (refused rather than guessed).
 */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip.replace(/%.*$/, ""));
  if (family === 4) return V4_RANGES.some((r) => inRange(v4Bytes(ip), r));
  if (family !== 6) return true;
  const b = v6Bytes(ip);
  const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  const nat64 = inRange(b, [[0, 0x64, 0xff, 0x9b], 96]);
  if (mapped || nat64) return V4_RANGES.some((r) => inRange(b.slice(12), r));
  return V6_RANGES.some((r) => inRange(b, r));
}
