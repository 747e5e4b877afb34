import { CosmosClient } from '@azure/cosmos';
import { waitUntil, type FaultProxy, type ProxiedRequest } from '@telemetry/local-services';
import { stackMetrics } from '@telemetry/local-stack';
import type { SentEvent } from '@telemetry/simulator';
import type { FaultScenario, ScenarioContext } from '../fault-scenario';
import { concatRuns, freshDevicesLoad, loadAroundOutage, rateOver, simulateLoad, sleep, storeLettersWritten, waitForDeliveries } from './load';

/** How long after an outage ingestion may take to store again (ms): a liveness bound, generous for a loaded 2-core box. */
export const RECOVERY_BOUND_MS = 120_000;

const counterSum = async (ctx: ScenarioContext, name: string, code?: string): Promise<number> =>
  (await stackMetrics(ctx.matrix.stack)).counters
    .filter((c) => c.name === name && (code === undefined || c.attributes['code'] === code))
    .reduce((n, c) => n + c.value, 0);

/** Failed invocations of the ingestion function (local host admin metrics, every live instance). */
async function failedInvocations(ctx: ScenarioContext): Promise<number> {
  let n = 0;
  for (const host of ctx.matrix.ingestion) n += (await host.admin.metrics())['ingestTelemetry']?.failures ?? 0;
  return n;
}

/** Devices of the recovery probe: fresh ones, so each of their events needs a store write. */
const PROBE_DEVICES = 10;

/**
 * After an outage ends: sends a probe (valid events of fresh devices, `recovery-NNNNN`) and waits
 * (bounded) until every probe device has its document, read straight from the Cosmos server.
 * Returns the probe's events (for the audit) and how long after the end that took (s), or why
 * not. A store that never recovers (a hung socket, a circuit stuck half-open) fails here.
 */
export async function probeRecovery(ctx: ScenarioContext, endedAt: number): Promise<{ sent: SentEvent[]; recoverySeconds: number | string }> {
  const sent = await freshDevicesLoad(ctx, { count: PROBE_DEVICES * 5, seconds: 1, prefix: 'recovery', seedOffset: 11, minDevices: PROBE_DEVICES });
  const ids = [...new Set(sent.map((e) => e.deviceId))];
  const { endpoint, key } = ctx.matrix.stack.cosmos;
  const d = ctx.matrix.descriptor.cosmos;
  const container = new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: false } }).database(d.database).container(d.container);
  const query = { query: 'SELECT c.deviceId FROM c WHERE ARRAY_CONTAINS(@ids, c.deviceId)', parameters: [{ name: '@ids', value: ids }] };
  try {
    await waitUntil(async () => (await container.items.query(query).fetchAll()).resources.length >= ids.length, {
      timeoutMs: RECOVERY_BOUND_MS, intervalMs: 500, description: 'the recovery probe stored',
    });
    return { sent, recoverySeconds: Math.round((Date.now() - endedAt) / 100) / 10 };
  } catch (error) {
    return { sent, recoverySeconds: `not within ${RECOVERY_BOUND_MS / 1000} s: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const heldSince = (proxies: FaultProxy[], from: number): ProxiedRequest[] => proxies.flatMap((p) => p.requests().filter((r) => r.held && r.at >= from));

/**
 * Cosmos black-holed for the outage length: the proxy accepts connections and never answers, so
 * every store call runs into ingestion's call timeout (STORE_TIMEOUT, 5 s) instead of failing
 * fast on a reset; after 10 in a row the store's local circuit opens (its fast failures are
 * STORE_UNAVAILABLE, the code most dead letters then carry) and half-opens into the same silence.
 * The timeouts are counted where they happen: requests the black hole held that the client then
 * gave up on. Ingestion dead-letters what it cannot store and the reprocessor applies it later.
 * Once the network is back, ingestion must store again within a bound (the requests the black
 * hole swallowed stay unanswered for good, as after a silently dropped flow).
 */
export const cosmosBlackhole: FaultScenario = {
  id: 'cosmos-blackhole',
  title: 'Cosmos black-holed (connections accepted, nothing answers)',
  async run(ctx) {
    const proxy = ctx.matrix.stack.cosmosProxy;
    let from = 0;
    let lettersBefore = 0;
    let retriesBefore = 0;
    let endedAt = 0;
    const sent = await loadAroundOutage(ctx, {
      start: async () => {
        lettersBefore = await storeLettersWritten(ctx);
        retriesBefore = await counterSum(ctx, 'telemetry.store.retries');
        from = Date.now();
        proxy.setMode({ kind: 'blackhole' });
        ctx.log(`Cosmos black-holed for ${ctx.outageMs / 1000} s`);
      },
      // It lasts until ingestion has dead-lettered at least one event it could not store.
      hasHit: async () => (await storeLettersWritten(ctx)) > lettersBefore,
      end: () => {
        proxy.setMode({ kind: 'pass' });
        endedAt = Date.now();
        ctx.log('Cosmos answers again');
      },
    });
    const probe = await probeRecovery(ctx, endedAt);
    const { recoverySeconds } = probe;
    // The held requests are given up by the client within its call timeout: wait for the last ones (bounded).
    await waitUntil(() => heldSince([proxy], from).every((r) => r.abandoned), { timeoutMs: 60_000, intervalMs: 500, description: 'held Cosmos requests timed out by the client' })
      .catch(() => undefined);
    const held = heldSince([proxy], from);
    const facts = {
      outageSeconds: Math.round((endedAt - from) / 100) / 10,
      requestsHeld: held.length,
      heldRequestsTimedOutByClient: held.filter((r) => r.abandoned).length,
      storeRetries: (await counterSum(ctx, 'telemetry.store.retries')) - retriesBefore,
      recoverySeconds,
    };
    return {
      sent: concatRuns(sent, probe.sent),
      facts,
      expectations: (audit, _facts, result) => {
        const failures: string[] = [];
        if (facts.heldRequestsTimedOutByClient === 0) failures.push('no Cosmos request timed out in the black hole');
        if (Object.entries(result.deadLettersWritten).every(([c, n]) => !c.startsWith('STORE_') || n === 0)) failures.push('ingestion dead-lettered nothing it could not store: the black hole did not bite');
        if (typeof recoverySeconds !== 'number') failures.push(`ingestion did not store again after the outage (${recoverySeconds})`);
        if ((result.reprocessor['applied'] ?? 0) === 0) failures.push('the reprocessor applied no dead letter after recovery');
        if (Object.entries(audit.parkedByCode).some(([c, n]) => c.startsWith('STORE_') && n > 0)) failures.push(`STORE_* letters parked instead of reprocessed: ${JSON.stringify(audit.parkedByCode)}`);
        return failures;
      },
    };
  },
};

/**
 * The dead-letter storage account (queue, claim-check blobs, parking table) black-holed for the
 * outage length (new requests hang; those already forwarded finish) while corrupt events keep
 * arriving (2%): every dead-letter write hangs until the
 * storage client's try timeout (10 s) and is retried; a batch whose letters cannot be written in
 * the sink's budget fails and the trigger runs it again before its checkpoint moves. The
 * reprocessor's own writes ride the outage out, and its trigger's receives and deletes that met the
 * black hole end at the host's try timeout (100 s, as the Functions host's client) and are retried:
 * the drain takes that long. Afterwards every corrupt event is parked, none lost, and ingestion
 * stores again within a bound.
 */
export const storageBlackhole: FaultScenario = {
  id: 'storage-blackhole',
  title: 'dead-letter storage account black-holed (connections accepted, nothing answers)',
  async run(ctx) {
    const m = ctx.matrix;
    const proxies = [m.deadLetterProxies.blob, m.deadLetterProxies.queue, m.deadLetterProxies.table];
    const sending = simulateLoad(ctx, { count: ctx.size, rate: rateOver(ctx.size, ctx.outageMs / 1000 + ctx.loadSeconds / 2), corruptRatio: 0.02 });
    await waitForDeliveries(ctx, Math.round(ctx.size * 0.1));
    const failedBefore = await failedInvocations(ctx);
    const lettersBefore = await counterSum(ctx, 'telemetry.events.deadlettered');
    const from = Date.now();
    // Requests already forwarded complete: a queue receive whose answer is lost would hide its
    // messages for the host's 10-minute lease (seen: the drain then waits 10 minutes; nothing lost).
    m.setDeadLetterStorageMode({ kind: 'blackhole', inFlight: 'complete' });
    ctx.log(`dead-letter storage black-holed for ${ctx.outageMs / 1000} s`);
    await sleep(ctx.outageMs);
    // It lasts until a dead-letter write has reached the black hole (bounded; a loaded machine may be slow to send one).
    await waitUntil(() => heldSince(proxies, from).length > 0, { timeoutMs: 120_000, intervalMs: 250, description: 'a dead-letter write to reach the black hole' })
      .catch(() => ctx.log('no dead-letter write reached the black hole'));
    m.setDeadLetterStorageMode({ kind: 'pass' });
    const endedAt = Date.now();
    ctx.log('dead-letter storage answers again');
    const loaded = await sending;
    // Every batch carries dead letters (2% corrupt), so ingestion stalled for the whole outage: at full
    // size on a loaded box its backlog takes minutes, and a probe queued behind it would time the
    // backlog, not the recovery. Once every event sent was delivered (bounded: a sink hung for good
    // fails here), the probe must be stored within the recovery bound.
    await waitForDeliveries(ctx, loaded.length);
    const caughtUpAt = Date.now();
    const probe = await probeRecovery(ctx, caughtUpAt);
    const { recoverySeconds } = probe;
    const sent = concatRuns(loaded, probe.sent);
    // Every held request is given up by the client in its try timeout: wait for the last ones.
    await waitUntil(() => heldSince(proxies, from).every((r) => r.abandoned), { timeoutMs: 60_000, intervalMs: 500, description: 'held dead-letter writes timed out by the client' })
      .catch(() => undefined);
    const held = heldSince(proxies, from);
    const corrupt = sent.filter((e) => e.kind === 'corrupt').length;
    const facts = {
      outageSeconds: Math.round((endedAt - from) / 100) / 10,
      corrupt,
      requestsHeld: held.length,
      heldRequestsTimedOutByClient: held.filter((r) => r.abandoned).length,
      failedInvocations: (await failedInvocations(ctx)) - failedBefore,
      lettersWrittenSinceOutage: (await counterSum(ctx, 'telemetry.events.deadlettered')) - lettersBefore,
      backlogDeliveredSeconds: Math.round((caughtUpAt - endedAt) / 100) / 10,
      recoverySeconds,
    };
    return {
      sent,
      facts,
      expectations: (audit) => {
        const failures: string[] = [];
        if (facts.heldRequestsTimedOutByClient === 0) failures.push('no dead-letter write timed out in the black hole');
        if (typeof recoverySeconds !== 'number') failures.push(`ingestion did not store a probe after its backlog (${recoverySeconds})`);
        if (audit.parked !== corrupt) failures.push(`${corrupt} corrupt events sent, ${audit.parked} parked`);
        return failures;
      },
    };
  },
};
