/** `HOST:PORT` collector addresses (`[::1]:4739` for IPv6), as given to `--collector`. */
import { isIP } from 'node:net';
import type { ListenAddress } from '../collector/index.js';

/** Parses `HOST:PORT`; returns an error message instead of throwing. */
export function parseListenAddress(text: string): ListenAddress | string {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (m === null) return `"${text}" is not HOST:PORT (use [ADDR]:PORT for IPv6)`;
  const host = m[1]!;
  const port = Number(m[2]);
  if (port > 65535) return `"${text}": port must be from 0 to 65535`;
  if (isIP(host) === 0 && host !== 'localhost') return `"${text}": HOST must be an IP address or localhost`;
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}
