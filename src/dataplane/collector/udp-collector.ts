// UdpCollector: binds dgram sockets, decodes every datagram with one shared FlowDecoder and hands flows to
// a consumer in batches, with a bounded queue so a slow consumer costs dropped (counted) records, never
// unbounded memory.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { FlowDecoder } from './flow-decoder.js';
import type { DecodedFlow, DecoderCounters } from './types.js';

export interface ListenAddress {
  /** IPv4 or IPv6 literal (or a name resolved for IPv4); e.g. '127.0.0.1', '::1', '::'. */
  host: string;
  /** 0 = any free port (see start()'s result). */
  port: number;
}

export interface UdpCollectorOptions {
  listen: ListenAddress | ListenAddress[];
  /** Receives flows in batches; may return a promise (back-pressure: see maxQueuedRecords). */
  onFlows: (flows: DecodedFlow[]) => void | Promise<void>;
  /** Socket errors, consumer errors and recvBufferSize failures; never thrown. */
  onError?: (err: Error) => void;
  /** Shared decoder (default: a new FlowDecoder). */
  decoder?: FlowDecoder;
  /** SO_RCVBUF to request (Linux caps it at net.core.rmem_max). Default 8 MiB; 0 = leave the OS default. */
  recvBufferSize?: number;
  /** Records buffered while the consumer's promise is pending; beyond this new records are dropped. */
  maxQueuedRecords?: number;
  /** Largest batch handed to onFlows. */
  maxBatchRecords?: number;
}

export interface BoundSocket {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
  /** Effective SO_RCVBUF (Linux reports twice the requested value), or undefined if unreadable. */
  recvBufferSize: number | undefined;
}

export interface CollectorCounters {
  datagrams: number;
  bytes: number;
  flowsDelivered: number;
  batches: number;
  /** Records dropped because the consumer was overloaded (to become SKIPDATA records downstream). */
  droppedOverload: number;
  /** Records currently waiting for the consumer (gauge). */
  queued: number;
  socketErrors: number;
  consumerErrors: number;
  decoder: DecoderCounters;
}

const DEFAULT_RECV_BUFFER = 8 * 1024 * 1024;
const DEFAULT_MAX_QUEUED = 100_000;
const DEFAULT_MAX_BATCH = 5_000;

export class UdpCollector {
  readonly decoder: FlowDecoder;
  private readonly listen: ListenAddress[];
  private readonly sockets: Socket[] = [];
  private queue: DecodedFlow[] = [];
  private pending: Promise<void> | undefined;
  private flushScheduled = false;
  private running = false;
  /** Flows ever put in the queue (= flowsDelivered + queue length). */
  private enqueued = 0;
  private readonly c = {
    datagrams: 0,
    bytes: 0,
    flowsDelivered: 0,
    batches: 0,
    droppedOverload: 0,
    socketErrors: 0,
    consumerErrors: 0,
  };

  constructor(private readonly options: UdpCollectorOptions) {
    this.decoder = options.decoder ?? new FlowDecoder();
    this.listen = Array.isArray(options.listen) ? options.listen : [options.listen];
  }

  /** Bind every listen address. Resolves with the bound addresses (actual ports); rejects if any bind fails. */
  async start(): Promise<BoundSocket[]> {
    if (this.running) throw new Error('UdpCollector already started');
    this.running = true;
    try {
      const bound: BoundSocket[] = [];
      for (const l of this.listen) bound.push(await this.bindOne(l));
      return bound;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Close all sockets, then deliver what is still queued and wait for the consumer. */
  async stop(): Promise<void> {
    this.running = false;
    const sockets = this.sockets.splice(0);
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await this.drain();
  }

  /**
   * Resolves once every flow received before the call has been handed to the consumer and the consumer
   * has finished with it (batches are otherwise handed over one per event-loop turn). Flows arriving
   * meanwhile are not waited for, so it ends under sustained traffic too; datagrams still in the socket
   * buffer are not read.
   */
  async drain(): Promise<void> {
    const target = this.enqueued;
    while (this.c.flowsDelivered < target) {
      if (this.pending !== undefined) await this.pending;
      else this.flush();
    }
    if (this.pending !== undefined) await this.pending;
  }

  /** Snapshot of the counters (plain object). */
  counters(): CollectorCounters {
    return { ...this.c, queued: this.queue.length, decoder: { ...this.decoder.counters } };
  }

  private bindOne(l: ListenAddress): Promise<BoundSocket> {
    const family = isIPv6(l.host) ? 'udp6' : 'udp4';
    const socket = createSocket({ type: family, reuseAddr: false });
    return new Promise((resolve, reject) => {
      const onBindError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onBindError);
      socket.bind(l.port, l.host, () => {
        socket.off('error', onBindError);
        socket.on('error', (err) => {
          this.c.socketErrors++;
          this.report(err);
        });
        socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
        const want = this.options.recvBufferSize ?? DEFAULT_RECV_BUFFER;
        if (want > 0) {
          try {
            socket.setRecvBufferSize(want);
          } catch (err) {
            this.report(err instanceof Error ? err : new Error(String(err)));
          }
        }
        let rcvbuf: number | undefined;
        try {
          rcvbuf = socket.getRecvBufferSize();
        } catch {
          rcvbuf = undefined;
        }
        this.sockets.push(socket);
        const a = socket.address();
        resolve({
          address: a.address,
          port: a.port,
          family: family === 'udp6' ? 'IPv6' : 'IPv4',
          recvBufferSize: rcvbuf,
        });
      });
    });
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    this.c.datagrams++;
    this.c.bytes += msg.length;
    const flows = this.decoder.decode(msg, { address, port });
    if (flows.length === 0) return;
    const max = this.options.maxQueuedRecords ?? DEFAULT_MAX_QUEUED;
    // Overloaded = the consumer is still busy with an earlier batch and the backlog is full.
    if (this.pending !== undefined && this.queue.length + flows.length > max) {
      const room = Math.max(0, max - this.queue.length);
      this.c.droppedOverload += flows.length - room;
      for (let i = 0; i < room; i++) this.queue.push(flows[i] as DecodedFlow);
      this.enqueued += room;
      return;
    }
    for (const f of flows) this.queue.push(f);
    this.enqueued += flows.length;
    this.scheduleFlush();
  }

  // Batch everything that arrives in one event-loop turn: flush on setImmediate, not per datagram.
  private scheduleFlush(): void {
    if (this.flushScheduled || this.pending !== undefined) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.pending === undefined && this.queue.length > 0) {
      const max = this.options.maxBatchRecords ?? DEFAULT_MAX_BATCH;
      const batch = this.queue.length <= max ? this.queue : this.queue.slice(0, max);
      this.queue = this.queue.length <= max ? [] : this.queue.slice(max);
      this.c.batches++;
      this.c.flowsDelivered += batch.length;
      let result: void | Promise<void>;
      try {
        result = this.options.onFlows(batch);
      } catch (err) {
        this.consumerFailed(err);
        continue;
      }
      if (result instanceof Promise) {
        // A failed batch is not retried (flow export is best effort, like the exporters themselves).
        this.pending = result.then(
          () => this.settle(),
          (err: unknown) => {
            this.consumerFailed(err);
            this.settle();
          },
        );
      }
    }
  }

  private settle(): void {
    this.pending = undefined;
    if (this.queue.length > 0) this.scheduleFlush();
  }

  private consumerFailed(err: unknown): void {
    this.c.consumerErrors++;
    this.report(err instanceof Error ? err : new Error(String(err)));
  }

  private report(err: Error): void {
    try {
      this.options.onError?.(err);
    } catch {
      // an error handler that throws must not break the receive path
    }
  }
}
