/**
 * The baseline for the API benchmarks: a bare node:http server answering every request with a fixed
 * JSON body of a given size, as fast as Node can. Prints its URL when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const size = Number(process.argv[2] ?? '1000');
const body = Buffer.from(JSON.stringify({ RequestId: 'X', Padding: 'x'.repeat(Math.max(0, size - 30)) }));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
