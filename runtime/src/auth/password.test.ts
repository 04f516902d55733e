import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, generatePassword, hashPassword, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  it("hashes with scrypt N=2^15 r=8 p=1, a fresh salt each time, and verifies", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse battery"), hashPassword("correct horse battery")]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{43}\$[\w-]{86}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
  });

  it("treats NFC and NFD spellings of a password alike", async () => {
    const hash = await hashPassword("caf\u00e9-password");
    expect(await verifyPassword("cafe\u0301-password", hash)).toBe(true);
  });

  it("refuses malformed or tampered hashes instead of running them", async () => {
    const hash = await hashPassword("some password");
    const parts = hash.split("$");
    const tampered = (index: number, value: string) => parts.map((p, i) => (i === index ? value : p)).join("$");
    for (const stored of ["", "plain", "bcrypt$x", tampered(1, String(2 ** 24)), tampered(1, "1000"), tampered(5, "AAAA")]) {
      expect(await verifyPassword("some password", stored), stored).toBe(false);
    }
  });

  it("keeps the event loop free while hashing", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await hashPassword("a password to hash");
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe("password policy", () => {
  it.each([
    [undefined, "INVALID_TYPE"],
    [12345678901, "INVALID_TYPE"],
    ["short", "PASSWORD_TOO_SHORT"],
    ["x".repeat(257), "PASSWORD_TOO_LONG"],
    ["ten chars!", undefined],
    ["x".repeat(256), undefined],
  ])("%j → %s", (password, code) => {
    expect(checkPasswordPolicy(password, "/password")[0]?.code).toBe(code);
  });

  it("generates 20-character passwords from an unambiguous alphabet", () => {
    const passwords = new Set(Array.from({ length: 200 }, generatePassword));
    expect(passwords.size).toBe(200);
    for (const p of passwords) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
  });
});
