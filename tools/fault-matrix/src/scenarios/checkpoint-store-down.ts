import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { waitUntil } from '@telemetry/local-services';
import type { FaultScenario, ScenarioContext } from '../fault-scenario';
import { rateOver, simulateLoad, sleep, waitForDeliveries } from './load';

/** The shortest outage that outlives ingestion's ownership expiry (5 s, matrix-stack.ts) plus one 5 s receive wait: the CI-size floor. */
const MIN_OUTAGE_MS = 15_000;
/** Bound on waits for ownership to be lost and for processing to resume (ms). */
const BOUND_MS = 120_000;
/**
 * How long a checkpoint begun just before the loss keeps trying: the storage client's default
 * retry policy (4 tries, exponential from 4 s: again at once, after 4 s, after 12 s) plus a margin
 * for the tries themselves. The store stays down this long after the loss, so no checkpoint in
 * flight at the loss can land once it is back (it would move the resume point past the events
 * processed during the outage, and nothing would be redelivered, correctly but untestably).
 */
const CHECKPOINT_RETRY_SPAN_MS = 16_000 + 4_000;

async function hostFigures(ctx: ScenarioContext): Promise<{ lost: number }> {
  let lost = 0;
  for (const host of ctx.matrix.ingestion) lost += (await host.admin.metrics())['ingestTelemetry']?.ownershipLost ?? 0;
  return { lost };
}

async function delivered(ctx: ScenarioContext): Promise<number> {
  await ctx.deliveries.refresh(ctx.matrix.ingestion);
  return ctx.deliveries.total();
}

/**
 * Ingestion's checkpoint store (its host storage, `AzureWebJobsStorage`: checkpoint and ownership
 * blobs) down for the outage length (at least 15 s; connections reset) under load. As in the Event
 * Hubs extension, the host cannot renew ownership, keeps processing until its ownership expires
 * (partitionOwnershipExpirationInterval, 5 s here) without being able to checkpoint, then stops
 * every partition (OwnershipLost, no checkpoint); once the store answers it claims them again and
 * processing restarts from the last good checkpoint. The store stays down until checkpoints in flight
 * at the loss have given up (CHECKPOINT_RETRY_SPAN_MS). So the events processed since that checkpoint
 * are delivered again: duplicates, bounded by what was processed between the outage and the loss
 * plus one batch per partition (the one whose checkpoint was in flight); nothing is lost.
 */
export const checkpointStoreDown: FaultScenario = {
  id: 'checkpoint-store-down',
  title: 'checkpoint store (ingestion host storage) down',
  async run(ctx) {
    const m = ctx.matrix;
    const store = m.hostStorageProxies.blob;
    const outageMs = Math.max(ctx.outageMs, MIN_OUTAGE_MS);
    const partitions = m.descriptor.eventHubs.partitions;
    const hostJson = JSON.parse(await readFile(path.join(m.descriptor.dataDir, 'apps', 'ingestion', 'host.json'), 'utf8')) as { extensions?: { eventHubs?: { maxEventBatchSize?: number } } };
    const maxBatch = hostJson.extensions?.eventHubs?.maxEventBatchSize ?? 100;
    const sending = simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, outageMs / 1000 + ctx.loadSeconds / 2) });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.1));
    const lostBefore = (await hostFigures(ctx)).lost;
    const atDown = await delivered(ctx);
    const downAt = Date.now();
    store.setMode({ kind: 'down' });
    ctx.log(`checkpoint store down for ${outageMs / 1000} s`);
    // The fault bites when the host gives up every partition it owned (bounded: fails below if not).
    let atLoss: number | undefined;
    let lostAfterMs: number | undefined;
    await waitUntil(async () => (await hostFigures(ctx)).lost - lostBefore >= partitions, { timeoutMs: Math.max(outageMs, BOUND_MS), intervalMs: 200, description: 'ingestion to give up its partitions' })
      .then(async () => {
        atLoss = await delivered(ctx);
        lostAfterMs = Date.now() - downAt;
        ctx.log(`ownership of every partition lost ${(lostAfterMs / 1000).toFixed(1)} s into the outage`);
      })
      .catch(() => ctx.log('ingestion kept its partitions through the outage'));
    const restoreAt = Math.max(downAt + outageMs, lostAfterMs === undefined ? 0 : downAt + lostAfterMs + CHECKPOINT_RETRY_SPAN_MS);
    await sleep(restoreAt - Date.now());
    const beforeBack = await delivered(ctx);
    store.setMode({ kind: 'pass' });
    const upAt = Date.now();
    ctx.log('checkpoint store back');
    const resumedAfterMs = await waitUntil(async () => ((await delivered(ctx)) > beforeBack ? Date.now() - upAt : undefined), { timeoutMs: BOUND_MS, intervalMs: 250, description: 'processing to resume from the checkpoints' })
      .catch(() => undefined);
    const sent = await sending;
    const requestsFailed = store.requests().filter((r) => r.at >= downAt && r.at < upAt).length;
    const processedBeforeLoss = atLoss === undefined ? undefined : atLoss - atDown;
    // Events processed since the last good checkpoint: those processed during the outage until the loss, plus the batch per partition whose checkpoint was in flight.
    const duplicateBound = processedBeforeLoss === undefined ? undefined : processedBeforeLoss + partitions * maxBatch;
    const facts = {
      outageSeconds: Math.round((upAt - downAt) / 100) / 10,
      storeRequestsRefused: requestsFailed,
      partitionsLost: (await hostFigures(ctx)).lost - lostBefore,
      ownershipLostAfterSeconds: lostAfterMs === undefined ? null : Math.round(lostAfterMs / 100) / 10,
      processedDuringOutageBeforeLoss: processedBeforeLoss ?? null,
      processedWhileLost: atLoss === undefined ? null : beforeBack - atLoss,
      resumedAfterSeconds: resumedAfterMs === undefined ? null : Math.round(resumedAfterMs / 100) / 10,
      duplicateBound: duplicateBound ?? null,
    };
    return {
      sent,
      facts,
      expectations: (_audit, _facts, result) => {
        const failures: string[] = [];
        if (requestsFailed === 0) failures.push('the host made no storage request during the outage');
        if (atLoss === undefined) failures.push(`ingestion did not give up all ${partitions} partitions while the store was down`);
        else if (beforeBack - atLoss !== 0) failures.push(`${beforeBack - atLoss} events processed after every partition was lost`);
        if (resumedAfterMs === undefined) failures.push(`processing did not resume within ${BOUND_MS / 1000} s of the store's return`);
        if (result.redelivered === 0) failures.push('nothing was redelivered: processing did not restart from the last good checkpoint');
        if (duplicateBound !== undefined && result.redelivered > duplicateBound) failures.push(`${result.redelivered} redelivered, more than the ${duplicateBound} processed since the last good checkpoint`);
        return failures;
      },
    };
  },
};
