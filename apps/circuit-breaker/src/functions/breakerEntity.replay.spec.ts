import type { BreakerState } from '@telemetry/breaker-rules';
import { BREAKER_ENTITY, BREAKER_ENTITY_KEY } from '../names';
import { runEntityBatch } from '../testing';
import { breakerEntity } from './breakerEntity';

const self = { name: BREAKER_ENTITY, key: BREAKER_ENTITY_KEY };
const at = '2026-11-21T12:00:00.000Z';
const tripOp = (instanceId: string) => ({ name: 'trip', input: { op: 'trip', at, by: 'monitor', reason: 'r', counts: { STORE_UNAVAILABLE: 101 }, instanceId } });

describe('breaker entity (run by the durable-functions engine)', () => {
  it('trips once per episode, even with two trips in one batch, and keeps state across batches (a restart)', async () => {
    const first = await runEntityBatch<BreakerState>(breakerEntity, self, undefined, [tripOp('ep-1'), tripOp('ep-2')]);
    expect(first.results.map((r) => r.result)).toEqual([
      { kind: 'tripped', episode: 1 },
      { kind: 'duplicate', episode: 1, status: 'open' },
    ]);
    expect(first.state).toMatchObject({ status: 'open', episode: 1, instanceId: 'ep-1', duplicateTrips: 1 });

    // A new batch after a host restart starts from the persisted state string.
    const second = await runEntityBatch<BreakerState>(breakerEntity, self, first.state, [tripOp('ep-3'), { name: 'get' }]);
    expect(second.results[0]!.result).toEqual({ kind: 'duplicate', episode: 1, status: 'open' });
    expect(second.results[1]!.result).toMatchObject({ status: 'open', episode: 1, duplicateTrips: 2 });
  });

  it('fails an unknown operation without touching the state', async () => {
    const first = await runEntityBatch<BreakerState>(breakerEntity, self, undefined, [tripOp('ep-1')]);
    const out = await runEntityBatch<BreakerState>(breakerEntity, self, first.state, [{ name: 'explode', input: {} }]);
    expect(out.results[0]!.isError).toBe(true);
    expect(out.state).toEqual(first.state);
  });

  it('answers get on a fresh entity with the closed initial state', async () => {
    const out = await runEntityBatch<BreakerState>(breakerEntity, self, undefined, [{ name: 'get' }]);
    expect(out.results[0]!.result).toMatchObject({ status: 'closed', episode: 0, transitions: [] });
  });
});
