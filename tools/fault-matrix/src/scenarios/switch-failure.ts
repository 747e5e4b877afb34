import { waitUntil, type FaultProxy } from '@telemetry/local-services';
import { partitionLag } from '@telemetry/local-stack';
import type { FaultScenario, ScenarioContext } from '../fault-scenario';
import { concatRuns, rateOver, simulateLoad, sleep, trickleLoad, waitForDeliveries } from './load';

interface Notice {
  kind: string;
  approveUrl?: string;
}
const noticeOf = (body: unknown): Notice | undefined => (body as { breaker?: Notice } | null)?.breaker;
/** Bound on each wait for the breaker (ms): its switch retries back off 5 s, 10 s, 20 s, 40 s ... */
const BOUND_MS = 180_000;

/** Calls of the switch (`POST .../pause|resume`) since `from` that failed, and that got through. */
function switchCalls(proxy: FaultProxy, action: 'pause' | 'resume', from: number): { failed: number; ok: number } {
  const calls = proxy.requests().filter((r) => r.method === 'POST' && r.at >= from && r.path.endsWith(`/${action}`));
  return { failed: calls.filter((r) => (r.status ?? 0) >= 500).length, ok: calls.filter((r) => r.status !== undefined && r.status < 300).length };
}

async function breakerSummary(ctx: ScenarioContext): Promise<{ status?: string; switch?: { target?: string; state?: string } }> {
  const base = ctx.matrix.descriptor.apps['circuit-breaker']?.baseUrl;
  const res = await fetch(`${base}/api/breaker/summary`);
  return (await res.json()) as { status?: string; switch?: { target?: string; state?: string } };
}

/**
 * The ingestion switch fails mid-episode: the breaker's calls to stop and start ingestion (in
 * Azure ARM; here the local host's control endpoint, behind a fault proxy) answer 503 for the
 * outage length, once while the breaker trips (Cosmos down under load) and once while it resumes
 * after the operator's approval. The breaker retries each call on durable timers until it works;
 * meanwhile ingestion keeps running into the outage (dead letters, reprocessed later) or stays
 * paused (events wait in Event Hubs). It converges: ingestion running, breaker closed, nothing lost.
 */
export const switchFailure: FaultScenario = {
  id: 'switch-failure',
  title: 'ingestion switch (ARM stand-in) failing during a trip and during a resume',
  breaker: true,
  async run(ctx) {
    const stack = ctx.matrix.stack;
    const proxy = ctx.matrix.switchProxy;
    if (!proxy) throw new Error('switch-failure needs the breaker stack with its switch proxy');
    const ingestion = ctx.matrix.ingestion[0]!;
    const paused = async (): Promise<boolean> => (await ingestion.admin.listFunctions()).find((f) => f.name === 'ingestTelemetry')?.paused === true;
    const approve = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=fault-matrix' });
    const noticesBefore = stack.notifications.length;
    const before = Math.round(ctx.size * 0.45);
    const during = Math.max(60, Math.round(ctx.size * 0.03));
    const clean = { corruptRatio: 0 };
    const first = await simulateLoad(ctx, { count: before, rate: rateOver(before, ctx.loadSeconds / 2), ...clean });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.42));

    // 1. The switch fails while the breaker trips.
    const tripFrom = Date.now();
    proxy.setMode({ kind: 'unavailable' });
    const trickle = trickleLoad(ctx, during, ctx.outageMs / 1000);
    stack.cosmosProxy.setMode({ kind: 'down' });
    ctx.log('Cosmos down and the switch failing: waiting for the breaker to trip and fail to pause');
    const firstFailedPause = await waitUntil(() => proxy.requests().find((r) => r.at >= tripFrom && r.path.endsWith('/pause') && (r.status ?? 0) >= 500), {
      timeoutMs: BOUND_MS, intervalMs: 250, description: 'a failed pause call',
    });
    await sleep(ctx.outageMs - (Date.now() - firstFailedPause.at));
    const pausedWhileFailing = await paused();
    proxy.setMode({ kind: 'pass' });
    ctx.log(`switch answers again (${switchCalls(proxy, 'pause', tripFrom).failed} pause calls failed)`);
    await waitUntil(paused, { timeoutMs: BOUND_MS, intervalMs: 250, description: 'ingestion paused by the breaker once the switch works' });
    const pause = switchCalls(proxy, 'pause', tripFrom);
    const tripped = await waitUntil(() => stack.notifications.slice(noticesBefore).map(noticeOf).find((n) => n?.kind === 'tripped' && n.approveUrl), {
      timeoutMs: 60_000, description: 'the trip notice with its approval link',
    });
    stack.cosmosProxy.setMode({ kind: 'pass' });
    ctx.log('Cosmos back; approving with the switch failing');

    // 2. The switch fails while the breaker resumes.
    const resumeFrom = Date.now();
    proxy.setMode({ kind: 'unavailable' });
    const approval = await approve(tripped.approveUrl!);
    const firstFailedResume = await waitUntil(() => proxy.requests().find((r) => r.at >= resumeFrom && r.path.endsWith('/resume') && (r.status ?? 0) >= 500), {
      timeoutMs: BOUND_MS, intervalMs: 250, description: 'a failed resume call',
    });
    await sleep(ctx.outageMs - (Date.now() - firstFailedResume.at));
    const pausedDuringFailedResume = await paused();
    proxy.setMode({ kind: 'pass' });
    ctx.log(`switch answers again (${switchCalls(proxy, 'resume', resumeFrom).failed} resume calls failed)`);
    await waitUntil(async () => !(await paused()), { timeoutMs: BOUND_MS, intervalMs: 250, description: 'ingestion resumed once the switch works' });
    const resume = switchCalls(proxy, 'resume', resumeFrom);
    const rest = await simulateLoad(ctx, { count: ctx.size - before - during, rate: rateOver(ctx.size - before - during, ctx.loadSeconds / 2), seed: ctx.seed + 2, ...clean });
    const sent = concatRuns(first, await trickle, rest);

    // The operator's side until the hub is drained: a re-trip right after the resume is approved again.
    const seen = new Set([tripped.approveUrl]);
    let reTrips = 0;
    for (;;) {
      const next = await waitUntil(async () => {
        const notice = stack.notifications.slice(noticesBefore).map(noticeOf).find((n) => n?.kind === 'tripped' && n.approveUrl && !seen.has(n.approveUrl));
        if (notice) return notice;
        if (!(await paused()) && (await partitionLag(ctx.matrix.descriptor)).every((p) => p.lag === 0)) return 'drained' as const;
        return undefined;
      }, { timeoutMs: 300_000, intervalMs: 500, description: 'the hub drained with ingestion running (or another trip to approve)' });
      if (next === 'drained' || reTrips >= 5) break;
      seen.add(next.approveUrl);
      reTrips++;
      await approve(next.approveUrl!);
    }
    const summary = await breakerSummary(ctx);
    const facts = {
      switchOutageSeconds: ctx.outageMs / 1000,
      failedPauseCalls: pause.failed, failedResumeCalls: resume.failed,
      pausedWhileSwitchFailing: pausedWhileFailing, pausedDuringFailedResume,
      approvalStatus: approval.status, reTrips,
      finalBreaker: summary.status ?? null, finalSwitch: summary.switch ?? null,
    };
    return {
      sent,
      facts,
      expectations: (_audit, _facts, result) => {
        const failures: string[] = [];
        if (pause.failed === 0) failures.push('no pause call failed: the switch fault did not bite during the trip');
        if (resume.failed === 0) failures.push('no resume call failed: the switch fault did not bite during the resume');
        if (pausedWhileFailing) failures.push('ingestion was paused while every pause call failed');
        if (!pausedDuringFailedResume) failures.push('ingestion resumed while every resume call failed');
        if (approval.status !== 200) failures.push(`approval answered ${approval.status}`);
        if (summary.status !== 'closed') failures.push(`the breaker ended ${summary.status ?? 'unknown'}, not closed`);
        if (summary.switch && (summary.switch.target !== 'running' || summary.switch.state !== 'ok')) failures.push(`the switch ended ${JSON.stringify(summary.switch)}`);
        if ((result.reprocessor['applied'] ?? 0) === 0 && Object.keys(result.deadLettersWritten).some((c) => c.startsWith('STORE_'))) failures.push('outage dead letters were not reprocessed');
        return failures;
      },
    };
  },
};
