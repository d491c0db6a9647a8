/**
 * Exporter addresses in the one form bindings are stored and matched in, shared by the admin endpoint
 * (`PUT /_vpcflow/exporters`) and seed files.
 */
import { isIP, SocketAddress } from 'node:net';

/**
 * The form the collector sees an exporter's address in, so a binding matches: IPv4-mapped IPv6
 * (`::ffff:192.0.2.1`, `::ffff:c000:201`) becomes plain IPv4, IPv6 its canonical lower-case compressed
 * text (RFC 5952, as Node prints peers). Undefined when not an IP address.
 */
export function canonicalAddress(text: string): string | undefined {
  const [ip = '', zone] = text.split('%', 2);
  const family = isIP(ip);
  if (family === 0) return undefined;
  const canonical = new SocketAddress({ address: ip, family: family === 6 ? 'ipv6' : 'ipv4' }).address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(canonical);
  if (mapped) return mapped[1];
  return zone === undefined ? canonical : `${canonical}%${zone}`;
}
