import { DEFAULT_INSTANCE_MEMORY_MB, INSTANCE_MEMORY_SETTING, type SpawnedHost } from '@telemetry/local-host';
import os from 'node:os';
import { partitionLag, waitForDrain } from '@telemetry/local-stack';
import type { FaultScenario, ScenarioContext } from '../fault-scenario';
import { simulateLoad, sleep } from './load';

/** Full-size limits (issue 20): RSS growth after warm-up, and enqueue-to-stored latency. */
export const MAX_RSS_SLOPE_MB_PER_MIN = 1;
export const MAX_P99_MS = 2_000;
/** Bound on the drain after the load (ms). */
const DRAIN_TIMEOUT_MS = 600_000;

export interface RssSample {
  /** Seconds since the load began. */
  t: number;
  rssMb: number;
}

/** Least-squares slope of RSS over time, in MB per minute (null with fewer than 3 samples). */
export function rssSlopeMbPerMin(samples: RssSample[]): number | null {
  if (samples.length < 3) return null;
  const n = samples.length;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mr = samples.reduce((a, s) => a + s.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.rssMb - mr);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? null : Math.round((num / den) * 60 * 100) / 100;
}

/** The hosts to watch: every ingestion instance alive and the stack's other apps. */
function watchedHosts(ctx: ScenarioContext): { app: string; host: SpawnedHost }[] {
  const others = [...ctx.matrix.stack.hosts].filter(([app]) => app !== 'ingestion').map(([app, host]) => ({ app, host }));
  return [...ctx.matrix.ingestion.map((host) => ({ app: 'ingestion', host })), ...others];
}

/**
 * A soak: the simulator's drones at a steady rate for a long time (full size: 30 minutes at 1,000
 * events/s), each host's RSS sampled through its admin API. After a warm-up (the first sixth) it
 * measures each host's RSS slope and ingestion's p99 enqueue-to-stored latency (the local host's
 * enqueuedTimeUtc-to-successful-invocation histogram, reset when the warm-up ends). Always: lost 0
 * and every RSS sample under the instance memory (Flex Consumption's instance size, 2,048 MB by
 * default), and the backlog drained within a bound. With `assertTrends` (full size) the slope
 * must stay <= 1 MB/min, p99 <= 2 s and the load must have run at its rate (95%); otherwise (CI)
 * they are reported, not asserted. The load average is sampled beside RSS (the machine is shared).
 */
export const soak: FaultScenario = {
  id: 'soak',
  title: 'soak: steady load, host memory and latency over time',
  ownStack: true,
  async run(ctx) {
    const { seconds, eventsPerSecond, assertTrends } = ctx.soak;
    const warmUpSeconds = Math.round(seconds / 6);
    const sampleMs = Math.max(5_000, Math.round((seconds * 1000) / 120));
    const samples = new Map<string, { app: string; pid: number; instanceMemoryMb: number; samples: RssSample[] }>();
    const started = Date.now();
    let sampling = true;
    // The machine's 1-minute load average beside each sample (it is shared: latency depends on it).
    const loadAverages: number[] = [];
    const sampleOnce = async (): Promise<void> => {
      const t = (Date.now() - started) / 1000;
      loadAverages.push(os.loadavg()[0]!);
      for (const { app, host } of watchedHosts(ctx)) {
        const status = await host.admin.status().catch(() => undefined);
        if (!status) continue;
        const key = `${app}:${host.pid}`;
        const memorySetting = ctx.matrix.stack.settingsOf(app)[INSTANCE_MEMORY_SETTING];
        const entry = samples.get(key) ?? { app, pid: host.pid, instanceMemoryMb: Number(memorySetting) || DEFAULT_INSTANCE_MEMORY_MB, samples: [] };
        entry.samples.push({ t: Math.round(t * 10) / 10, rssMb: status.memory.rssMb });
        samples.set(key, entry);
      }
    };
    // Stopped at once when the drain ends (not after the rest of a sample interval).
    const sleeping = { wake: (): void => undefined };
    const sampler = (async () => {
      let lastProgress = 0;
      while (sampling) {
        const next = Date.now() + sampleMs;
        await sampleOnce();
        if (Date.now() - lastProgress >= 60_000) {
          lastProgress = Date.now();
          // Progress with the figures so far (p99 since the warm-up, the backlog), so a run cut short still tells its trend.
          const p99s = await Promise.all(ctx.matrix.ingestion.map(async (h) => (await h.admin.metrics().catch(() => undefined))?.['ingestTelemetry']?.enqueueToCompletionMs?.p99));
          const backlog = await partitionLag(ctx.matrix.descriptor).then((lags) => lags.reduce((n, p) => n + p.lag, 0), () => '?');
          ctx.log(`${Math.round((Date.now() - started) / 1000)} s: load average ${loadAverages.at(-1)?.toFixed(1)}; backlog ${backlog}; p99 ${p99s.join('/')} ms; RSS ${[...samples.values()].map((h) => `${h.app} ${h.samples.at(-1)?.rssMb ?? '?'} MB`).join(', ')}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, next - Date.now()));
          sleeping.wake = () => (clearTimeout(timer), resolve());
        });
      }
    })();
    const sending = simulateLoad(ctx, { count: seconds * eventsPerSecond, rate: eventsPerSecond });
    await sleep(warmUpSeconds * 1000);
    // Latency is measured from here on: what the warm-up (connections, JIT, caches) cost is left out.
    for (const h of ctx.matrix.ingestion) await h.admin.resetMetrics();
    const sent = await sending;
    const loadSeconds = (Date.now() - started) / 1000;
    // Events enqueued but not yet checkpointed when the load ends: a backlog that grew is latency that grew.
    const backlogAtLoadEnd = await partitionLag(ctx.matrix.descriptor).then((lags) => lags.reduce((n, p) => n + p.lag, 0), () => null);
    ctx.log(`load sent (${sent.length} events) in ${Math.round(loadSeconds)} s, backlog ${backlogAtLoadEnd}; waiting for the checkpoints`);
    // A drain past its bound is a failure with the figures, not an error without them.
    const drained = await waitForDrain(ctx.matrix.descriptor, { timeoutMs: DRAIN_TIMEOUT_MS }).then(() => true, () => false);
    const drainSeconds = (Date.now() - started) / 1000 - loadSeconds;
    sampling = false;
    sleeping.wake();
    await sampler;
    await sampleOnce();
    const latency = await Promise.all(ctx.matrix.ingestion.map(async (h) => (await h.admin.metrics())['ingestTelemetry']?.enqueueToCompletionMs));
    const p99 = Math.max(...latency.map((l) => l?.p99 ?? 0));
    const hosts = [...samples.values()].map((h) => {
      const after = h.samples.filter((s) => s.t >= warmUpSeconds && s.t <= loadSeconds);
      return {
        app: h.app, pid: h.pid, instanceMemoryMb: h.instanceMemoryMb, samples: h.samples.length,
        rssMbFirst: h.samples[0]?.rssMb, rssMbMax: Math.max(...h.samples.map((s) => s.rssMb)), rssMbLast: h.samples.at(-1)?.rssMb,
        slopeMbPerMinAfterWarmUp: rssSlopeMbPerMin(after),
      };
    });
    const sentPerSecond = Math.round(sent.length / loadSeconds);
    const during = loadAverages.slice(0, -1);
    const loadAverage = { min: Math.min(...during), mean: during.reduce((a, b) => a + b, 0) / Math.max(1, during.length), max: Math.max(...during) };
    ctx.log(`p99 ${p99} ms; RSS slopes ${hosts.map((h) => `${h.app} ${h.slopeMbPerMinAfterWarmUp} MB/min`).join(', ')}; load average ${loadAverage.min.toFixed(1)}..${loadAverage.max.toFixed(1)}`);
    return {
      sent,
      facts: {
        soakSeconds: seconds, eventsPerSecond, warmUpSeconds, sampleSeconds: sampleMs / 1000, loadSeconds: Math.round(loadSeconds), sentPerSecond, backlogAtLoadEnd, drainSeconds: Math.round(drainSeconds * 10) / 10, drained,
        loadAverage: Object.fromEntries(Object.entries(loadAverage).map(([k, v]) => [k, Math.round(v * 10) / 10])),
        trendsAsserted: assertTrends, p99EnqueueToStoredMs: p99, latencyAfterWarmUp: latency, hosts,
      },
      expectations: () => {
        const failures: string[] = [];
        // At full size the load itself is asserted: a soak whose sender fell behind did not run at its rate.
        if (assertTrends && sentPerSecond < eventsPerSecond * 0.95) failures.push(`the load ran at ${sentPerSecond} events/s, not ${eventsPerSecond}`);
        if (!drained) failures.push(`the backlog was not drained within ${DRAIN_TIMEOUT_MS / 1000} s of the load's end (${backlogAtLoadEnd} events behind then)`);
        if (!hosts.length || hosts.some((h) => h.samples < 3)) failures.push('too few RSS samples');
        for (const h of hosts) {
          if (h.rssMbMax >= h.instanceMemoryMb) failures.push(`${h.app} (pid ${h.pid}) RSS ${h.rssMbMax} MB reached the instance memory (${h.instanceMemoryMb} MB)`);
          if (assertTrends && (h.slopeMbPerMinAfterWarmUp ?? 0) > MAX_RSS_SLOPE_MB_PER_MIN) failures.push(`${h.app} (pid ${h.pid}) RSS grew ${h.slopeMbPerMinAfterWarmUp} MB/min after warm-up (limit ${MAX_RSS_SLOPE_MB_PER_MIN})`);
        }
        if (!latency.some((l) => l && l.count > 0)) failures.push('no enqueue-to-stored latency measured after warm-up');
        if (assertTrends && p99 > MAX_P99_MS) failures.push(`p99 enqueue-to-stored ${p99} ms after warm-up (limit ${MAX_P99_MS} ms)`);
        return failures;
      },
    };
  },
};
