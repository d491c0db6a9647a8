/**
 * Finding and running Debian's softflowd offline (`-r file.pcap`): it exports every flow of the capture
 * at EOF and exits. Never combine `-c <socket>` with `-r`: softflowd 1.1.0 then blocks in accept()
 * (see softflowd(8): the control socket belongs to live capture). Flags per softflowd(8):
 * https://manpages.debian.org/bookworm/softflowd/softflowd.8.en.html
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of the softflowd binary, or undefined when it is not installed. */
export function findSoftflowd(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, 'softflowd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * `softflowd -d -r PCAP -n HOST:PORT -v 10 -A milli -p PIDFILE`: IPFIX with absolute millisecond times
 * (the capture's own), killed after `timeoutMs`. Resolves with the exit code and stderr.
 */
export function replayPcap(
  bin: string,
  opts: { pcapFile: string; host: string; port: number; pidFile: string; timeoutMs?: number },
): Promise<{ code: number | null; stderr: string }> {
  const args = ['-d', '-r', opts.pcapFile, '-n', `${opts.host}:${opts.port}`, '-v', '10', '-A', 'milli'];
  args.push('-p', opts.pidFile);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
