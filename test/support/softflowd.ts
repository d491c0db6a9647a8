// Run Debian's softflowd offline (`-r file.pcap`) against a loopback UDP port and collect what it exports.
// Offline mode exports every flow at EOF and exits (~10 ms). NEVER add `-c <socket>` together with `-r`:
// softflowd 1.1.0 then blocks in accept() forever (the control socket is for live capture; softflowd(8):
// https://manpages.debian.org/bookworm/softflowd/softflowd.8.en.html).
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSoftflowd } from '../../src/dataplane/sample/softflowd.js';

export { findSoftflowd };

export type SoftflowdVersion = 5 | 9 | 10;

export interface SoftflowdRunOptions {
  pcapFile: string;
  port: number;
  version: SoftflowdVersion;
  pidFile: string;
  host?: string;
  timeoutMs?: number;
  /**
   * Add `-a` ("adjust time for reading pcap file"): export headers then use pcap time instead of the wall
   * clock. Without it softflowd's v5 header has sys_uptime 0 and flow times ~days after it (garbage);
   * with it v5/v9/IPFIX output is deterministic apart from softflowd's pid in an options record.
   */
  adjustTime?: boolean;
  /**
   * Pass `-A milli` (default true): absolute flowStart/EndMilliseconds (IE 152/153) in IPFIX and v9.
   * Without it times are sysUpTime-relative (IE 22/21), based on systemInitTimeMilliseconds (IPFIX
   * options record) or the v9 header; that only makes sense for old pcaps together with `adjustTime`.
   */
  absoluteMilli?: boolean;
}

export interface SoftflowdResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export const hasSoftflowd = findSoftflowd() !== undefined;

/** Run `softflowd -d -r FILE -n HOST:PORT -v V -A milli -p PIDFILE` to completion (killed after timeoutMs). */
export function runSoftflowd(opts: SoftflowdRunOptions): Promise<SoftflowdResult> {
  const bin = findSoftflowd();
  if (bin === undefined) return Promise.reject(new Error('softflowd is not installed'));
  const host = opts.host ?? '127.0.0.1';
  // -A milli: absolute timestamps (IE 152/153); without it (and without -a) times are sysUpTime offsets
  // from softflowd's wall-clock start, meaningless for an old pcap.
  const args = ['-d', '-r', opts.pcapFile, '-n', `${host}:${opts.port}`, '-v', String(opts.version)];
  if (opts.absoluteMilli !== false) args.push('-A', 'milli');
  args.push('-p', opts.pidFile);
  if (opts.adjustTime === true) args.push('-a');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 5000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

/**
 * Write the pcap to a temp dir, run softflowd against a fresh loopback UDP listener, and return the
 * datagrams it sent (in arrival order) plus the listener's address, which is the "exporter" seen by us.
 */
export async function captureSoftflowd(
  pcap: Buffer,
  version: SoftflowdVersion,
  options: { timeoutMs?: number; adjustTime?: boolean; absoluteMilli?: boolean } = {},
): Promise<{ datagrams: Buffer[]; from: { address: string; port: number }[]; result: SoftflowdResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'vpcflow-softflowd-'));
  const sock = createSocket('udp4');
  const datagrams: Buffer[] = [];
  const from: { address: string; port: number }[] = [];
  sock.on('message', (msg, rinfo) => {
    datagrams.push(msg);
    from.push({ address: rinfo.address, port: rinfo.port });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(0, '127.0.0.1', () => resolve());
    });
    const pcapFile = join(dir, 'in.pcap');
    writeFileSync(pcapFile, pcap);
    const result = await runSoftflowd({
      pcapFile,
      port: sock.address().port,
      version,
      pidFile: join(dir, 'softflowd.pid'),
      timeoutMs: options.timeoutMs ?? 5000,
      adjustTime: options.adjustTime ?? false,
      absoluteMilli: options.absoluteMilli ?? true,
    });
    // The datagrams are already queued on the loopback socket when softflowd exits; let them drain.
    await new Promise((r) => setTimeout(r, 100));
    return { datagrams, from, result };
  } finally {
    sock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
