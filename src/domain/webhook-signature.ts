import { createHmac } from "node:crypto";

const PREFIX = "whsec_";

/**
 * The Standard Webhooks signature of one attempt: `v1,` + base64 HMAC-SHA256, keyed with the secret's
 * base64-decoded bytes, over `<webhook-id>.<webhook-timestamp>.<body>`.
 */
export function webhookSignature(
  secret: string,
  msgId: string,
  timestampSeconds: number,
  body: string,
): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  const mac = createHmac("sha256", key).update(`${msgId}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of an attempt made at `nowMs`. */
export function webhookHeaders(
  secret: string,
  msgId: string,
  nowMs: number,
  body: string,
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(ts),
    "webhook-signature": webhookSignature(secret, msgId, ts, body),
  };
}
