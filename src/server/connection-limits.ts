/**
 * Per-connection limits Node's HTTP server does not have: a cap on the connections one client address
 * may hold open, and a cap on the requests one keep-alive connection serves (Node's own
 * `maxRequestsPerSocket` answers a pipelined request over the cap with a bare 503; this closes the
 * connection after the last allowed reply instead, so nobody ever sees a 5xx for it).
 */
import type { Socket } from 'node:net';

export interface ConnectionLimitOptions {
  maxConnectionsPerIp: number;
  maxRequestsPerSocket: number;
  /** Writes the refusal on a connection over the per-address cap, then the socket is closed. */
  refuse(socket: Socket): void;
}

export class ConnectionLimits {
  readonly #open = new Map<string, number>();
  readonly #served = new WeakMap<Socket, number>();
  readonly #refused = new WeakSet<Socket>();
  #refusedTotal = 0;

  constructor(private readonly opts: ConnectionLimitOptions) {}

  /** Call on the server's `connection` event. */
  accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const count = (this.#open.get(address) ?? 0) + 1;
    this.#open.set(address, count);
    socket.once('close', () => {
      const left = (this.#open.get(address) ?? 1) - 1;
      if (left <= 0) this.#open.delete(address);
      else this.#open.set(address, left);
    });
    if (count > this.opts.maxConnectionsPerIp) {
      this.#refused.add(socket);
      this.#refusedTotal++;
      this.opts.refuse(socket);
    }
  }

  /** True for a connection that was refused: the server ignores requests parsed on it. */
  isRefused(socket: Socket): boolean {
    return this.#refused.has(socket);
  }

  /** Counts a request on its connection; true when it is the last one the connection may serve. */
  lastRequest(socket: Socket): boolean {
    const n = (this.#served.get(socket) ?? 0) + 1;
    this.#served.set(socket, n);
    return n >= this.opts.maxRequestsPerSocket;
  }

  /** Open connections from one address (for tests and metrics). */
  openFrom(address: string): number {
    return this.#open.get(address) ?? 0;
  }

  get refusedTotal(): number {
    return this.#refusedTotal;
  }
}
