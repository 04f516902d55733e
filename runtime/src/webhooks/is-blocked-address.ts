import ipaddr from "ipaddr.js";

/**
 * Whether an IP address is off limits for webhook deliveries: anything but global unicast, so loopback,
 * private, unique-local, link-local, unspecified, carrier-grade NAT, multicast, broadcast, reserved and
 * the IPv6 ranges that embed IPv4 (mapped, compatible, NAT64, 6to4, Teredo). Unparseable counts as blocked.
 * @example isBlockedAddress("169.254.169.254") // true
 */
export function isBlockedAddress(address: string): boolean {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return true;
  // `process` turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 address it carries.
  const parsed = ipaddr.process(bare);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return true;
  return parsed.range() !== "unicast";
}

/** Host names that always mean this machine, whatever DNS says (RFC 6761). */
export function isLocalHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}
