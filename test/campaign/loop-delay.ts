/**
 * Event-loop delay, measured with `perf_hooks.monitorEventLoopDelay`, and the part of it this process
 * caused itself. On a machine with more runnable processes than cores a timer also fires late because
 * the process was not scheduled at all; that lag comes with no CPU time used. Sampling every 20 ms the
 * wall-clock lag and the CPU time used meanwhile, `ownMaxMs` is the largest min(lag, CPU time): a long
 * synchronous task of ours counts fully, a stretch spent waiting for a core does not.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
  stop(): { maxMs: number; p99Ms: number; ownMaxMs: number };
}

export function watchLoopDelay(): LoopDelay {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const INTERVAL = 20;
  let ownMaxMs = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const lag = now - last - INTERVAL;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    ownMaxMs = Math.max(ownMaxMs, Math.min(lag, cpuMs));
    last = now;
    lastCpu = process.cpuUsage();
  }, INTERVAL);
  return {
    stop() {
      clearInterval(timer);
      h.disable();
      return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, ownMaxMs };
    },
  };
}
