import ipaddr from 'ipaddr.js';

/**
 * Whether the server may connect to `address` without an operator's say-so: only global unicast
 * addresses. Private, loopback, link-local, unique-local, carrier-grade NAT, multicast, reserved
 * and documentation ranges are refused, and so are IPv6 forms that carry an IPv4 address
 * (IPv4-mapped, 6to4, Teredo, NAT64), which are judged by the IPv4 address when mapped and
 * refused otherwise: they are ways to reach an internal IPv4 host under another name.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}
