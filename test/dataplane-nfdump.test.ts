// Differential test: the same softflowd exports go to nfdump's nfcapd and to vpcflow's decoder; the
// per-flow totals (packets, bytes, times, flags) must agree.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowDecoder } from '../src/dataplane/collector/index.js';
import { buildPcap, type PcapPacket } from '../src/dataplane/sample/pcap-writer.js';
import { captureSoftflowd, hasSoftflowd, type SoftflowdVersion } from './support/softflowd.js';
import { skipWithout } from './support/real-tools.js';

const hasNfdump = spawnSync('nfdump', ['-V']).status === 0 && spawnSync('which', ['nfcapd']).status === 0;
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

function packets(): PcapPacket[] {
  const out: PcapPacket[] = [];
  // 12 conversations with varied sizes, plus UDP and ICMP.
  for (let i = 0; i < 12; i++) {
    const c = `10.88.0.${10 + i}`;
    const s = `10.88.1.${20 + (i % 3)}`;
    const t = T0 + i * 1_000;
    out.push({
      tsMs: t,
      src: c,
      dst: s,
      proto: 'tcp',
      sport: 41000 + i,
      dport: 443,
      tcpFlags: 0x02,
      payloadLength: 0,
    });
    out.push({
      tsMs: t + 10,
      src: s,
      dst: c,
      proto: 'tcp',
      sport: 443,
      dport: 41000 + i,
      tcpFlags: 0x12,
      payloadLength: 0,
    });
    for (let k = 0; k < i + 1; k++) {
      out.push({
        tsMs: t + 20 + k,
        src: c,
        dst: s,
        proto: 'tcp',
        sport: 41000 + i,
        dport: 443,
        tcpFlags: 0x18,
        payloadLength: 100 * k,
      });
    }
    out.push({
      tsMs: t + 500,
      src: c,
      dst: s,
      proto: 'tcp',
      sport: 41000 + i,
      dport: 443,
      tcpFlags: 0x11,
      payloadLength: 0,
    });
  }
  out.push({
    tsMs: T0 + 20_000,
    src: '10.88.0.99',
    dst: '10.88.1.53',
    proto: 'udp',
    sport: 5353,
    dport: 53,
    payloadLength: 60,
  });
  return out.sort((a, b) => a.tsMs - b.tsMs);
}

/** Resolves once a UDP socket is bound to 127.0.0.1:`port` (read from /proc/net/udp), or after `ms`. */
async function udpBound(port: number, ms: number): Promise<boolean> {
  const needle = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (readFileSync('/proc/net/udp', 'utf8').includes(needle)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** One nfcapd run: its decoded flows, or [] if it stored none. */
async function nfcapdOnce(datagrams: Buffer[]): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vpcflow-nfcapd-'));
  try {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      'nfcapd',
      ['-w', dir, '-b', '127.0.0.1', '-p', String(port), '-t', '60', '-P', join(dir, 'pid')],
      {
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    // Under a loaded CI machine nfcapd can take well over a fixed sleep to bind its socket.
    if (!(await udpBound(port, 10_000))) {
      child.kill('SIGKILL');
      await exited;
      return [];
    }
    const sock = createSocket('udp4');
    for (const d of datagrams) await new Promise<void>((r) => sock.send(d, port, '127.0.0.1', () => r()));
    sock.close();
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
    await exited;
    const file = readdirSync(dir).find((f) => f.startsWith('nfcapd.'));
    if (file === undefined) return [];
    const res = spawnSync('nfdump', ['-r', join(dir, file), '-o', 'json'], { encoding: 'utf8' });
    // nfdump prints "No matching flows" (not JSON) for an empty file.
    return res.stdout.trimStart().startsWith('[') && !res.stdout.includes('No matching')
      ? (JSON.parse(res.stdout) as Record<string, unknown>[])
      : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The reference decoding. nfcapd itself occasionally stores nothing on a busy machine: try again. */
async function nfcapd(datagrams: Buffer[]): Promise<Record<string, unknown>[]> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const flows = await nfcapdOnce(datagrams);
    if (flows.length > 0) return flows;
  }
  throw new Error('nfcapd stored no flows in 3 attempts');
}

describe.skipIf(skipWithout(hasSoftflowd && hasNfdump))(
  'vpcflow and nfcapd decode the same exports alike',
  () => {
    for (const version of [10, 9, 5] as SoftflowdVersion[]) {
      it(`softflowd -v ${version}`, async () => {
        const { datagrams, from } = await captureSoftflowd(buildPcap(packets()), version, {
          adjustTime: version === 5,
        });
        const decoder = new FlowDecoder();
        const ours = datagrams.flatMap((d, i) => decoder.decode(d, from[i]!));
        const theirs = await nfcapd(datagrams);
        const key = (src: unknown, sp: unknown, dst: unknown, dp: unknown, pr: unknown): string =>
          `${String(src)}:${String(sp)}>${String(dst)}:${String(dp)}/${String(pr)}`;
        const mine = new Map(
          ours.map((f) => [
            key(f.srcaddr, f.srcport, f.dstaddr, f.dstport, f.protocol),
            [f.packets, f.bytes, f.startMs, f.endMs],
          ]),
        );
        const ref = new Map(
          theirs.map((f) => [
            key(f['src4_addr'], f['src_port'], f['dst4_addr'], f['dst_port'], f['proto']),
            [
              f['in_packets'],
              f['in_bytes'],
              Date.parse(`${String(f['first'])}Z`),
              Date.parse(`${String(f['last'])}Z`),
            ],
          ]),
        );
        expect(ours.length).toBe(25);
        expect(mine).toEqual(ref);
      });
    }
  },
);
