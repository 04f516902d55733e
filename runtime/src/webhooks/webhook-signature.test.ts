import { describe, expect, it } from "vitest";
import { signWebhookPayload, verifyWebhookSignature } from "./webhook-signature.ts";

describe("webhook signatures", () => {
  const body = JSON.stringify({ id: "d1", type: "record.created" });
  const header = signWebhookPayload("secret", body, 1_700_000_000);

  it("verifies what it signed, within the tolerance", () => {
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("secret", header, body, 300, 1_700_000_100)).toBe(true);
  });

  it.each([
    ["another secret", "other", header, body, 1_700_000_000],
    ["a changed body", "secret", header, body + " ", 1_700_000_000],
    ["an old timestamp", "secret", header, body, 1_700_000_301],
    ["a missing header", "secret", undefined, body, 1_700_000_000],
    ["a header without v1", "secret", "t=1700000000", body, 1_700_000_000],
    ["a truncated signature", "secret", header.slice(0, -2), body, 1_700_000_000],
  ])("refuses %s", (_, secret, given, payload, now) => {
    expect(verifyWebhookSignature(secret, given, payload, 300, now)).toBe(false);
  });

  it("accepts any of several v1 values", () => {
    const v1 = header.split(",v1=")[1];
    expect(verifyWebhookSignature("secret", `t=1700000000,v1=${"0".repeat(64)},v1=${v1}`, body, 300, 1_700_000_000)).toBe(true);
  });
});
