import { waitUntil } from '@telemetry/local-services';
import { partitionLag } from '@telemetry/local-stack';
import type { FaultScenario } from '../fault-scenario';
import { concatRuns, rateOver, simulateLoad, trickleLoad, waitForDeliveries } from './load';

interface Notice {
  kind: string;
  approveUrl?: string;
}

const noticeOf = (body: unknown): Notice | undefined => (body as { breaker?: Notice } | null)?.breaker;

/**
 * The circuit breaker trips and resumes: Cosmos goes down under load, failures pass the breaker's
 * threshold (20 in 15 s here), the breaker pauses ingestion (events wait in Event Hubs), Cosmos
 * comes back, the operator approves through the signed link of the webhook notice, ingestion
 * resumes from its checkpoints, and the reprocessor applies the outage's dead letters.
 */
export const breakerTrip: FaultScenario = {
  id: 'breaker-trip',
  title: 'circuit breaker trip, approval and resume',
  breaker: true,
  async run(ctx) {
    const stack = ctx.matrix.stack;
    const ingestion = ctx.matrix.ingestion[0]!;
    const paused = async (): Promise<boolean> => (await ingestion.admin.listFunctions()).find((f) => f.name === 'ingestTelemetry')?.paused === true;
    const noticesBefore = stack.notifications.length;
    // As around the other outages: most events before and after, a trickle while Cosmos is down.
    const before = Math.round(ctx.size * 0.45);
    const during = Math.max(60, Math.round(ctx.size * 0.03));
    // No corrupt input here: the failure window counts bad input too, and 1% of a fast load trips
    // a threshold of 20 in 15 s on its own (see the README); this scenario trips on the outage.
    const clean = { corruptRatio: 0 };
    const first = await simulateLoad(ctx, { count: before, rate: rateOver(before, ctx.loadSeconds / 2), ...clean });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.42));
    // The trickle keeps arriving while the breaker holds ingestion: those events wait in Event Hubs.
    const trickle = trickleLoad(ctx, during, ctx.outageMs / 1000);
    const downAt = Date.now();
    stack.cosmosProxy.setMode({ kind: 'down' });
    ctx.log('Cosmos down: waiting for the breaker to pause ingestion');
    await waitUntil(paused, { timeoutMs: 120_000, intervalMs: 250, description: 'ingestion paused by the breaker' });
    const pausedAfterMs = Date.now() - downAt;
    const tripped = await waitUntil(
      () => stack.notifications.slice(noticesBefore).map(noticeOf).find((n) => n?.kind === 'tripped' && n.approveUrl),
      { timeoutMs: 60_000, description: 'the trip notice with its approval link' },
    );
    await ctx.deliveries.refresh(ctx.matrix.ingestion);
    const deliveredWhilePaused = ctx.deliveries.total();
    // Keep the outage for its full length; the breaker holds ingestion meanwhile.
    await new Promise((r) => setTimeout(r, Math.max(0, ctx.outageMs - (Date.now() - downAt))));
    await ctx.deliveries.refresh(ctx.matrix.ingestion);
    const deliveredDuringPause = ctx.deliveries.total() - deliveredWhilePaused;
    stack.cosmosProxy.setMode({ kind: 'pass' });
    ctx.log(`Cosmos back after ${(Date.now() - downAt) / 1000} s; approving`);
    const approval = await fetch(tripped.approveUrl!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=fault-matrix' });
    await ctx.deliveries.refresh(ctx.matrix.ingestion);
    await waitUntil(async () => !(await paused()), { timeoutMs: 60_000, intervalMs: 250, description: 'ingestion resumed after the approval' });
    const resumedAfterMs = Date.now() - downAt;
    const rest = await simulateLoad(ctx, { count: ctx.size - before - during, rate: rateOver(ctx.size - before - during, ctx.loadSeconds / 2), seed: ctx.seed + 2, ...clean });
    const sent = concatRuns(first, await trickle, rest);
    // The operator's side until the hub is drained: a re-trip (failures right after the resume)
    // is approved again, as Cosmos is healthy by now. Each one is counted and reported.
    const approve = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=fault-matrix' });
    const seen = new Set([tripped.approveUrl]);
    const reTrips: { afterResumeMs: number; approval: number }[] = [];
    for (;;) {
      const next = await waitUntil(
        async () => {
          const notice = stack.notifications.slice(noticesBefore).map(noticeOf).find((n) => n?.kind === 'tripped' && n.approveUrl && !seen.has(n.approveUrl));
          if (notice) return notice;
          if (!(await paused()) && (await partitionLag(ctx.matrix.descriptor)).every((p) => p.lag === 0)) return 'drained' as const;
          return undefined;
        },
        { timeoutMs: 300_000, intervalMs: 500, description: 'the hub drained with ingestion running (or another trip to approve)' },
      );
      if (next === 'drained' || reTrips.length >= 5) break;
      seen.add(next.approveUrl);
      const afterResumeMs = Date.now() - downAt - resumedAfterMs;
      ctx.log(`breaker tripped again ${(afterResumeMs / 1000).toFixed(1)} s after the resume; approving`);
      reTrips.push({ afterResumeMs, approval: (await approve(next.approveUrl!)).status });
    }
    const facts = { pausedAfterMs, resumedAfterMs, approvalStatus: approval.status, deliveredDuringPause, reTrips };
    return {
      sent,
      facts,
      expectations: (_audit, _facts, result) => {
        const failures: string[] = [];
        if (approval.status !== 200) failures.push(`approval answered ${approval.status}`);
        if (reTrips.length >= 3) failures.push(`the breaker kept re-tripping after the resume (${reTrips.length} times)`);
        if (deliveredDuringPause > 0) failures.push(`${deliveredDuringPause} events delivered while the breaker held ingestion paused`);
        if ((result.reprocessor['applied'] ?? 0) === 0 && Object.keys(result.deadLettersWritten).some((c) => c.startsWith('STORE_'))) failures.push('outage dead letters were not reprocessed');
        return failures;
      },
    };
  },
};
