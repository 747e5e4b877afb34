import type { FaultScenario } from '../fault-scenario';
import { loadAroundOutage, storeLettersWritten } from './load';

const storeCodes = (codes: Record<string, number>): number => Object.entries(codes).filter(([c]) => c.startsWith('STORE_')).reduce((n, [, v]) => n + v, 0);

/**
 * Cosmos down (connections reset at the fault proxy) for the outage length while the simulator
 * sends: ingestion dead-letters what it cannot store (STORE_*), and the reprocessor applies those
 * letters once Cosmos is back. Nothing may stay parked or queued.
 */
export const cosmosDown: FaultScenario = {
  id: 'cosmos-down',
  title: 'Cosmos down (fault proxy resets connections)',
  async run(ctx) {
    const proxy = ctx.matrix.stack.cosmosProxy;
    let lettersBefore = 0;
    let downAt = 0;
    let downMs = 0;
    const sent = await loadAroundOutage(ctx, {
      start: async () => {
        lettersBefore = await storeLettersWritten(ctx);
        downAt = Date.now();
        proxy.setMode({ kind: 'down' });
        ctx.log(`Cosmos down for ${ctx.outageMs / 1000} s`);
      },
      hasHit: async () => (await storeLettersWritten(ctx)) > lettersBefore,
      end: () => {
        proxy.setMode({ kind: 'pass' });
        downMs = Date.now() - downAt;
        ctx.log('Cosmos back');
      },
    });
    return {
      sent,
      facts: { outageSeconds: Math.round(downMs / 100) / 10 },
      expectations: (audit, _facts, result) => {
        const failures: string[] = [];
        if (storeCodes(result.deadLettersWritten) === 0) failures.push('no STORE_* dead letter written during the outage');
        if ((result.reprocessor['applied'] ?? 0) === 0) failures.push('the reprocessor applied no dead letter after recovery');
        if (storeCodes(audit.parkedByCode) > 0) failures.push(`STORE_* letters parked instead of reprocessed: ${JSON.stringify(audit.parkedByCode)}`);
        return failures;
      },
    };
  },
};

/**
 * A 429 storm: the fault proxy answers every Cosmos request 429 with x-ms-retry-after-ms for the
 * outage length. Ingestion honours retry-after, then dead-letters (STORE_THROTTLED); the
 * reprocessor applies the letters after the storm.
 */
export const throttleStorm: FaultScenario = {
  id: 'throttle-storm',
  title: '429 storm with retry-after (fault proxy)',
  async run(ctx) {
    const proxy = ctx.matrix.stack.cosmosProxy;
    let throttledFrom = 0;
    let throttled = 0;
    let stopProgress = (): void => undefined;
    let lettersBefore = 0;
    const sent = await loadAroundOutage(ctx, {
      start: async () => {
        lettersBefore = await storeLettersWritten(ctx);
        throttledFrom = proxy.requests().length;
        const timer = setInterval(() => {
          void ctx.deliveries.refresh(ctx.matrix.ingestion).then(() => ctx.log(`storm: ${proxy.requests().length - throttledFrom} requests answered 429, ${ctx.deliveries.total()} deliveries`));
        }, 5_000);
        stopProgress = () => clearInterval(timer);
        proxy.setMode({ kind: 'throttle', retryAfterMs: 200 });
        ctx.log(`429 storm for ${ctx.outageMs / 1000} s`);
      },
      hasHit: async () => (await storeLettersWritten(ctx)) > lettersBefore,
      end: () => {
        stopProgress();
        throttled = proxy.requests().length - throttledFrom;
        proxy.setMode({ kind: 'pass' });
        ctx.log('storm over');
      },
    });
    return {
      sent,
      facts: { stormSeconds: ctx.outageMs / 1000, requestsThrottled: throttled },
      expectations: (audit, _facts, result) => {
        const failures: string[] = [];
        if (throttled === 0) failures.push('no request reached the proxy during the storm');
        if ((result.deadLettersWritten['STORE_THROTTLED'] ?? 0) === 0 && storeCodes(result.deadLettersWritten) === 0) failures.push('no store dead letter during the storm');
        if (storeCodes(audit.parkedByCode) > 0) failures.push(`STORE_* letters parked instead of reprocessed: ${JSON.stringify(audit.parkedByCode)}`);
        return failures;
      },
    };
  },
};
