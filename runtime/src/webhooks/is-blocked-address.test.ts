import { describe, expect, it } from "vitest";
import { isBlockedAddress, isLocalHostname } from "./is-blocked-address.ts";

describe("isBlockedAddress", () => {
  it.each([
    "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "[::1]", "::", "fe80::1", "fc00::1", "fd12::1",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "not-an-ip",
  ])("blocks %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it("knows the names that always mean this machine", () => {
    expect(["localhost", "LOCALHOST.", "api.localhost"].every(isLocalHostname)).toBe(true);
    expect(isLocalHostname("localhost.example.com")).toBe(false);
  });
});
