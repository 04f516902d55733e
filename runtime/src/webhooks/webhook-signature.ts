import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The `x-crm-signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, where the HMAC
 * key is the webhook's secret as given (its UTF-8 bytes, not base64-decoded) and the message is
 * `<t>.<raw request body>`.
 * @example signWebhookPayload("s3cret", '{"id":"…"}', 1700000000) // "t=1700000000,v1=5f1c…"
 */
export function signWebhookPayload(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * Check a delivery on the receiving side: recompute the HMAC over the exact raw body, compare in constant
 * time, and refuse timestamps more than `toleranceSeconds` away from now (replays). Accepts any of
 * several `v1=` values.
 * @example
 * if (!verifyWebhookSignature(secret, req.headers["x-crm-signature"], rawBody, 300)) return res.writeHead(400).end();
 */
export function verifyWebhookSignature(secret: string, header: string | null | undefined, body: string, toleranceSeconds = 300, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === "t" && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (name === "v1" && value) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), "hex");
  return signatures.some((s) => {
    const given = Buffer.from(s, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}
