/**
 * Repeated timings. The first run is kept apart from the rest: it pays for whatever the engine
 * builds lazily (postings by form, the alphabetical word ranks, the passage index), which a reader
 * pays once, while median and p95 describe every later run.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

export interface Timing {
  runs: number;
  firstMs: number;
  /** Median of the runs after the first (of the first alone when there is only one run). */
  medianMs: number;
  /** 95th percentile (nearest rank) of the same runs. */
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function summarise(samples: number[]): Timing {
  if (samples.length === 0) throw new Error('no samples');
  const warm = (samples.length > 1 ? samples.slice(1) : samples).slice().sort((a, b) => a - b);
  return {
    runs: samples.length,
    firstMs: samples[0]!,
    medianMs: median(warm),
    p95Ms: percentile(warm, 0.95),
    minMs: warm[0]!,
    maxMs: warm[warm.length - 1]!,
  };
}

/** CPU time of this process (all threads, user + system) in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs `fn` `runs` times; returns wall-clock timings, CPU timings and the first run's result. CPU
 * time is kept because these machines are shared: other processes stretch wall time, not CPU time.
 */
export function timeRuns<T>(runs: number, fn: () => T): { timing: Timing; cpu: Timing; result: T } {
  const samples: number[] = [];
  const cpu: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const r = fn();
    samples.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
    if (i === 0) result = r;
  }
  return { timing: summarise(samples), cpu: summarise(cpu), result: result as T };
}

let gcFn: (() => void) | undefined;
/** A full garbage collection, so resident-memory readings describe live data rather than garbage. */
export function collectGarbage(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}
