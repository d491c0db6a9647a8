/**
 * examples/deploy, checked offline: the compose file parses, its vpcflow nodes run `serve` with flags
 * and variables that exist in the option table (src/cli/options.ts), on the compose PostgreSQL
 * service; nginx balances HTTP over every node's --port and UDP over every node's --collector port,
 * hashing on the exporter's address; the systemd environment file names only real variables.
 * (`nginx -t` and `systemd-analyze verify` need the tools and a resolver for the service names; these
 * checks need nothing.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVE } from '../src/cli/options.js';

const DEPLOY = fileURLToPath(new URL('../examples/deploy', import.meta.url));
const read = (file: string): string => readFileSync(join(DEPLOY, file), 'utf8');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  image?: string;
  build?: { context: string; dockerfile: string };
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, unknown> | string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const nodes = Object.entries(compose.services).filter(([, s]) => s.command?.[0] === 'serve');
const flags = new Set(SERVE.options.map((o) => o.name));
/** Variables vpcflow reads: the option table's, and the environment-only ones (README "Configuration"). */
const variables = new Set([
  ...SERVE.options.flatMap((o) => (o.env ? [o.env] : [])),
  'VPCFLOW_SECRET_KEY',
  'VPCFLOW_ACCOUNT_ID',
  'VPCFLOW_ACCESS_KEY_ID',
  'VPCFLOW_ACCESS_KEY_SECRET',
]);

/** `--flag value` pairs of a command (every flag of `serve` but booleans takes a value). */
function flagValues(command: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 1; i < command.length; i++) {
    const arg = command[i]!;
    expect(arg.startsWith('--'), `expected a flag at ${i}: ${arg}`).toBe(true);
    const name = arg.slice(2);
    const spec = SERVE.options.find((o) => o.name === name);
    const value = spec?.type === 'boolean' ? 'true' : command[++i]!;
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/** The body of the first `NAME {` block in an nginx file (balanced braces). */
function block(conf: string, name: string): string {
  const at = conf.search(new RegExp(`(^|\\s)${name}\\s*\\{`));
  expect(at, `no ${name} block`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = conf.indexOf('{', at); i < conf.length; i++) {
    if (conf[i] === '{') depth++;
    if (conf[i] === '}' && --depth === 0) return conf.slice(conf.indexOf('{', at) + 1, i);
  }
  throw new Error(`unbalanced ${name} block`);
}

describe('examples/deploy', () => {
  it('runs three vpcflow nodes with flags of the option table, on the compose PostgreSQL', () => {
    expect(nodes.map(([name]) => name)).toEqual(['node1', 'node2', 'node3']);
    expect(compose.services['postgres']?.image).toMatch(/^postgres:\d+/);
    for (const [name, node] of nodes) {
      const values = flagValues(node.command!);
      for (const flag of values.keys()) expect(flags.has(flag), `${name}: unknown flag --${flag}`).toBe(true);
      expect(values.get('database-url')?.[0]).toMatch(
        /^postgres:\/\/vpcflow:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/vpcflow$/,
      );
      expect(values.get('host')).toEqual(['0.0.0.0']);
      expect(values.get('collector')).toEqual(['0.0.0.0:4739']);
      for (const v of Object.keys(node.environment ?? {})) {
        expect(variables.has(v), `${name}: unknown variable ${v}`).toBe(true);
      }
      // One secret key for every node (sealed AccessKey secrets), required rather than defaulted.
      expect(node.environment?.['VPCFLOW_SECRET_KEY']).toMatch(/^\$\{VPCFLOW_SECRET_KEY:\?/);
      expect(node.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
      expect(existsSync(join(DEPLOY, node.build!.context, node.build!.dockerfile))).toBe(true);
    }
    // Each node its own volume for node-local files.
    expect(new Set(nodes.map(([, n]) => n.volumes?.[0]?.split(':')[0])).size).toBe(3);
  });

  it('balances HTTP over every node and UDP by exporter address over every collector', () => {
    const conf = read('nginx.conf');
    const ports = nodes.map(([name, node]) => {
      const values = flagValues(node.command!);
      return { name, http: values.get('port')![0]!, udp: values.get('collector')![0]!.split(':')[1]! };
    });
    const http = block(block(conf, 'http'), 'upstream vpcflow_api');
    const stream = block(conf, 'stream');
    const udp = block(stream, 'upstream vpcflow_collectors');
    for (const p of ports) {
      expect(http).toContain(`server ${p.name}:${p.http}`);
      expect(udp).toContain(`server ${p.name}:${p.udp}`);
    }
    expect(udp).toMatch(/^\s*hash \$remote_addr consistent;/m);
    expect(block(stream, 'server')).toMatch(/listen 4739 udp;[\s\S]*proxy_pass vpcflow_collectors;/);
    // Signed requests and SLS project hosts need the client's Host header.
    expect(block(block(conf, 'http'), 'server')).toContain('proxy_set_header Host $http_host;');
    const lb = compose.services['lb']!;
    expect(lb.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(lb.ports).toEqual(['8080:8080', '4739:4739/udp']);
  });

  it('names only real variables in the systemd environment file, and starts `serve`', () => {
    const env = read('systemd/vpcflow.env.example');
    for (const line of env.split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      const name = line.split('=')[0]!;
      expect(variables.has(name), `unknown variable ${name}`).toBe(true);
    }
    const unit = read('systemd/vpcflow@.service');
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/node \/opt\/vpcflow\/bin\/vpcflow\.js serve --data \/var\/lib\/vpcflow\/%i$/m,
    );
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/vpcflow\/%i\.env$/m);
    expect(read('Dockerfile')).toMatch(/^ENTRYPOINT \["node", "bin\/vpcflow\.js"\]$/m);
  });
});
