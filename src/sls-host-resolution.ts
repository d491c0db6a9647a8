/**
 * Makes `{project}.localhost`, `{project}.{region}.localhost` and `{project}.127.0.0.1` resolve to 127.0.0.1
 * inside this process, so the official SLS clients can reach a local server without /etc/hosts entries or
 * any change to the system resolver. Shipped as the preload `vpcflow/sls-localhost` (sls-localhost.ts)
 * and used by the tests.
 *
 * Why a `dns.lookup` patch: both clients connect through `httpx`, which calls `http.request` with the
 * module-level agent of httpx (`@alicloud/sls20201230` -> openapi-core -> @darabonba/typescript `doAction`;
 * `@alicloud/log` calls httpx directly). Neither lets the caller pass an Agent or a `lookup` function, and
 * Node's `net.connect` falls back to the `dns.lookup` property of the `dns` module at connect time, so
 * replacing that property is the one seam that reaches them (the SDKs' `httpProxy` runtime option is
 * declared but not used by @darabonba/typescript's doAction, and an IP endpoint becomes `{project}.127.0.0.1`,
 * which is no address). Only the names above are answered here;
 * everything else goes to the original lookup. glibc's `files dns` (stock Debian) does not resolve
 * `*.localhost` by itself, and `p.127.0.0.1` is not an IP address, so both need this.
 */
import dns from 'node:dns';

const LOCAL_NAME = /^(?:[a-z0-9-]+\.){1,2}localhost\.?$|^[a-z0-9-]+\.127\.0\.0\.1$/i;

export function isSlsLocalHostName(hostname: string): boolean {
  return LOCAL_NAME.test(hostname);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

let installs = 0;
let original: typeof dns.lookup | undefined;

function localLookup(this: unknown, hostname: string, options: unknown, callback?: unknown): void {
  const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
  const opts = (typeof options === 'object' && options !== null ? options : {}) as dns.LookupOptions;
  if (typeof hostname === 'string' && isSlsLocalHostName(hostname)) {
    if (opts.all) {
      process.nextTick(cb, null, [{ address: '127.0.0.1', family: 4 }]);
    } else {
      process.nextTick(cb, null, '127.0.0.1', 4);
    }
    return;
  }
  (original as (...args: unknown[]) => void).call(this, hostname, options, callback);
}

/**
 * Installs the resolution; returns the function that removes it. Installs nest (a counter), so tests in the
 * same process can each install and uninstall safely.
 */
export function installSlsHostResolution(): () => void {
  if (installs === 0) {
    original = dns.lookup;
    dns.lookup = localLookup as unknown as typeof dns.lookup;
  }
  installs += 1;
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    installs -= 1;
    if (installs === 0 && original) {
      dns.lookup = original;
      original = undefined;
    }
  };
}
