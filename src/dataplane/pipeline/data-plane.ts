/**
 * The data plane of one vpcflow process: the UDP collector (`--collector`), the flow pipeline behind
 * it, a one-second timer that closes windows and delivers, and template persistence. Started by
 * app.ts only when collectors are configured.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import {
  FlowDecoder,
  type CollectorLimits,
  UdpCollector,
  type BoundSocket,
  type CollectorCounters,
  type DecodedFlow,
  type ListenAddress,
} from '../collector/index.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import { FlowPipeline, type PipelineCounters, type SharedStatus } from './pipeline.js';
import { SummaryLog } from './summary-log.js';
import { TemplatePersistence } from './template-persistence.js';

export interface DataPlaneOptions {
  store: Store;
  listen: ListenAddress[];
  flushGraceMs: number;
  logger: Logger;
  templateTtlMs?: number;
  maxOpenBuckets?: number;
  tickMs?: number;
  templateSaveMs?: number;
  /** Bounds of templates and exporter/domain states; defaults when omitted. */
  collectorLimits?: Partial<CollectorLimits>;
  /** The pipeline's clock (tests). */
  now?: () => number;
  /** Several nodes on one database: status records by the lease holder only (pipeline.ts). */
  shared?: SharedStatus;
  /** This node's record journal entries (src/cluster/node-identity.ts). */
  journalOwner?: string;
}

export interface DataPlaneCounters {
  listen: { address: string; port: number }[];
  collector: CollectorCounters;
  pipeline: PipelineCounters;
}

export class DataPlane {
  readonly pipeline: FlowPipeline;
  readonly collector: UdpCollector;
  bound: BoundSocket[] = [];
  private readonly templates: TemplatePersistence;
  private timer: NodeJS.Timeout | undefined;
  private lastOverload = 0;
  private lastTemplateSave = 0;
  private ticking = false;
  private readonly summary: SummaryLog;

  constructor(private readonly options: DataPlaneOptions) {
    const decoder = new FlowDecoder({
      ...(options.templateTtlMs === undefined ? {} : { templateTtlMs: options.templateTtlMs }),
      ...(options.collectorLimits === undefined ? {} : { limits: options.collectorLimits }),
    });
    this.pipeline = new FlowPipeline({
      store: options.store,
      flushGraceMs: options.flushGraceMs,
      logger: options.logger,
      ...(options.maxOpenBuckets === undefined ? {} : { maxOpenBuckets: options.maxOpenBuckets }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.shared === undefined ? {} : { shared: options.shared }),
      ...(options.journalOwner === undefined ? {} : { journalOwner: options.journalOwner }),
    });
    this.collector = new UdpCollector({
      listen: options.listen,
      decoder,
      onFlows: (flows) => this.receive(flows),
      onError: (err) => options.logger.warn('collector error', { error: err.message }),
    });
    this.templates = new TemplatePersistence(options.store, decoder);
    this.summary = new SummaryLog(() => this.counters(), options.logger);
  }

  async start(): Promise<BoundSocket[]> {
    await this.pipeline.init();
    const imported = await this.templates.load();
    this.bound = await this.collector.start();
    for (const b of this.bound) {
      this.options.logger.info('collector listening', {
        address: b.address,
        port: b.port,
        templates: imported,
      });
    }
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
    this.timer.unref();
    return this.bound;
  }

  /** Stops receiving, emits every open window (nothing is lost on a clean stop), saves templates. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.collector.stop();
    await this.flush();
    await this.templates.save(Infinity);
  }

  /**
   * Emits every open aggregate now, with the status records of the windows that have ended, and resolves
   * once the records are stored (POST /_vpcflow/flush).
   */
  async flush(): Promise<{ records: number }> {
    // Let datagrams waiting in the socket be read, then every flow received reach the pipeline (the
    // collector hands them over in bounded batches, one per event-loop turn).
    await yieldToIo();
    await yieldToIo();
    await this.collector.drain();
    this.noteCollectorDrops(true);
    const flushed = await this.pipeline.flush();
    this.summary.log('flush');
    return flushed;
  }

  invalidate(): void {
    this.pipeline.invalidate();
  }

  counters(): DataPlaneCounters {
    return {
      listen: this.bound.map((b) => ({ address: b.address, port: b.port })),
      collector: this.collector.counters(),
      pipeline: this.pipeline.counters(),
    };
  }

  /**
   * A batch from the collector: refresh the network view if it changed, then attribute and aggregate. If
   * the view cannot be loaded the batch is lost: reported as SKIPDATA (as its exporters' loss), and the
   * error goes back to the collector (`consumerErrors`).
   */
  private receive(flows: DecodedFlow[]): void | Promise<void> {
    const fresh = this.pipeline.ensureFresh();
    return fresh.then(
      () => this.pipeline.ingest(flows),
      (err: unknown) => {
        this.pipeline.noteLostBatch(flows);
        throw err;
      },
    );
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.noteCollectorDrops();
      await this.pipeline.tick();
      const now = Date.now();
      this.summary.tick(now);
      if (now - this.lastTemplateSave >= (this.options.templateSaveMs ?? 30_000)) {
        this.lastTemplateSave = now;
        await this.templates.save();
      }
    } catch (err) {
      this.options.logger.error('data-plane tick failed', { error: String(err) });
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Flows lost before the pipeline saw them, reported as SKIPDATA: dropped by the collector's bounded
   * queue (every covered ENI), or lost in transit / in the kernel's socket buffer, as the exporters'
   * sequence numbers tell once no late datagram filled the gap (that exporter's ENIs; a flush takes every
   * open gap as lost).
   */
  private noteCollectorDrops(all = false): void {
    const overload = this.collector.counters().droppedOverload;
    this.pipeline.noteDropped(overload - this.lastOverload);
    this.lastOverload = overload;
    this.pipeline.noteSequenceLosses(this.collector.decoder.takeSequenceLosses(Date.now(), all));
  }
}
