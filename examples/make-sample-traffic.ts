/**
 * Writes a pcap of the demo's sample conversations between the ENIs of examples/seed.yaml (10.0.1.10,
 * 10.0.1.11, 10.0.2.1) and outside addresses, for softflowd or any pcap-reading exporter:
 *
 *   npx tsx examples/make-sample-traffic.ts [FILE] [START]
 *
 * FILE defaults to sample-traffic.pcap, START (ISO-8601) to now: flows are recorded in the windows of
 * their own timestamps, and records older than the logstore's TTL are swept, so a capture dated now is
 * what a walk-through wants. examples/sample-traffic.pcap was written with START 2026-01-01T00:00:00Z.
 */
import { writeFileSync } from 'node:fs';
import { buildPcap } from '../src/dataplane/sample/pcap-writer.js';
import { samplePackets } from '../src/dataplane/sample/sample-traffic.js';

const file = process.argv[2] ?? 'sample-traffic.pcap';
const start = process.argv[3] === undefined ? Date.now() : Date.parse(process.argv[3]);
if (Number.isNaN(start)) throw new Error(`cannot read START "${process.argv[3]}": use ISO-8601`);
writeFileSync(file, buildPcap(samplePackets(start)));
console.log(`wrote ${file} (${new Date(start).toISOString()})`);
