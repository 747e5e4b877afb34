import fc from 'fast-check';
import { ISSUE_CODES, issueCodes, silentLogger, type IssueCode } from '@telemetry/core';
import { InMemoryDeviceStateStore } from '@telemetry/device-store/testing';
import { claimCheckSummary, type DeadLetter } from '@telemetry/contracts';
import { comparableState, expectedStates, makeTelemetry, telemetryArbitrary } from '@telemetry/device-state/testing';
import { classifyIssue } from './issue-class';
import { markRedriven } from './redrive';
import { parkPoisonedDeadLetter, reprocessDeadLetter, type ReprocessorDeps } from './reprocess-dead-letter';
import type { ReprocessPolicy } from './reprocess-policy';
import { ReprocessorMetrics } from './reprocessor-metrics';
import { deadLetterFor, FakeBreakerStatus, InMemoryDeadLetterQueue, InMemoryParkingStore } from './testing';

const policy: ReprocessPolicy = { maxAttempts: 5, unknownMaxAttempts: 3, backoffBaseSeconds: 10, backoffMaxSeconds: 60, breakerDeferSeconds: 45 };

function setup() {
  const store = new InMemoryDeviceStateStore();
  const queue = new InMemoryDeadLetterQueue();
  const parking = new InMemoryParkingStore();
  const breaker = new FakeBreakerStatus();
  const metrics = new ReprocessorMetrics();
  const deps: ReprocessorDeps = { store, queue, parking, breaker, policy, metrics, logger: silentLogger, random: () => 0.5 };
  return { store, queue, parking, breaker, metrics, deps };
}

/** What the queue trigger delivers: the message text JSON-parsed. */
const asMessage = (letter: DeadLetter): unknown => JSON.parse(JSON.stringify(letter));
const state = async (store: InMemoryDeviceStateStore, id: string) => comparableState((await store.get(id))!);

describe('routing by issue code', () => {
  const telemetry = makeTelemetry(1, 10, { battery: 0.5 });
  it.each(issueCodes)('%s', async (code: IssueCode) => {
    const { deps, store, parking } = setup();
    const cls = classifyIssue(code);
    // Store failures carry the decoded telemetry; bad bodies do not.
    const letter = cls === 'permanent' && code !== 'STORE_REJECTED' ? deadLetterFor(code, Buffer.from('{"deviceId":')) : deadLetterFor(code, telemetry);
    const outcome = await reprocessDeadLetter(asMessage(letter), deps);
    if (cls === 'permanent') {
      expect(outcome).toMatchObject({ action: 'parked', code, reason: `${code}: injected ${code}` });
      const parked = await parking.get(letter.id);
      expect(parked).toMatchObject({ code, by: 'reprocessor', attempts: 0 });
      expect(Buffer.from(parked!.letter.body!, 'base64')).toEqual(Buffer.from(letter.body!, 'base64'));
      expect(store.states.size).toBe(0);
    } else {
      expect(outcome).toMatchObject({ action: 'applied', status: 'written', code });
      expect(await state(store, telemetry.deviceId)).toEqual(expectedStates([telemetry]).get(telemetry.deviceId));
    }
    expect(ISSUE_CODES[code]).toBeDefined();
  });

  it('a message that is not a dead letter is parked as UNKNOWN with its bytes', async () => {
    const { deps, parking } = setup();
    const outcome = await reprocessDeadLetter('hello, not json', deps);
    expect(outcome).toMatchObject({ action: 'parked', code: 'UNKNOWN' });
    const [entry] = [...parking.entries.values()];
    expect(Buffer.from(entry!.letter.body!, 'base64').toString()).toBe('hello, not json');
  });
});

describe('retries and backoff', () => {
  it('a retryable letter whose store stays down is retried with growing delays, then parked', async () => {
    const { deps, store, queue, parking, metrics } = setup();
    store.failWith = { code: 'STORE_UNAVAILABLE' };
    let message: unknown = asMessage(deadLetterFor('STORE_TIMEOUT', makeTelemetry(2, 1, { battery: 0.1 })));
    const delays: number[] = [];
    for (let i = 1; i < policy.maxAttempts; i++) {
      const outcome = await reprocessDeadLetter(message, deps);
      expect(outcome).toMatchObject({ action: 'retry-scheduled', attempts: i, lastErrorCode: 'STORE_UNAVAILABLE', code: 'STORE_TIMEOUT' });
      const next = queue.take()!;
      expect(next.reprocess).toMatchObject({ attempts: i, lastCode: 'STORE_UNAVAILABLE' });
      delays.push(outcome.action === 'retry-scheduled' ? outcome.delaySeconds : -1);
      message = asMessage(next);
    }
    expect(delays).toEqual([8, 15, 30, 45]); // equal jitter at random 0.5: 3/4 of 10, 20, 40, 60 (capped)
    const last = await reprocessDeadLetter(message, deps);
    expect(last).toMatchObject({ action: 'parked', code: 'STORE_TIMEOUT', attempts: policy.maxAttempts, reason: expect.stringMatching(/^retries exhausted after 5 attempts; last error STORE_UNAVAILABLE/) });
    expect(queue.enqueued).toHaveLength(0);
    expect(parking.entries.size).toBe(1);
    expect(metrics.snapshot()).toMatchObject({ retryScheduled: { STORE_TIMEOUT: 4 }, parked: { STORE_TIMEOUT: 1 } });
  });

  it('unknown codes get the shorter budget; the store recovering in between applies the letter', async () => {
    const { deps, store, queue } = setup();
    store.failWith = { code: 'STORE_UNAVAILABLE' };
    const t = makeTelemetry(3, 5, { flightMode: 2 });
    expect(await reprocessDeadLetter(asMessage(deadLetterFor('UNKNOWN', t)), deps)).toMatchObject({ action: 'retry-scheduled', attempts: 1 });
    expect(await reprocessDeadLetter(asMessage(queue.take()!), deps)).toMatchObject({ action: 'retry-scheduled', attempts: 2 });
    store.failWith = undefined;
    expect(await reprocessDeadLetter(asMessage(queue.take()!), deps)).toMatchObject({ action: 'applied', status: 'written' });
    expect(await state(store, t.deviceId)).toEqual(expectedStates([t]).get(t.deviceId));
  });

  it('a store that rejects the write for good parks at once', async () => {
    const { deps, store } = setup();
    store.failWith = { code: 'STORE_REJECTED' };
    expect(await reprocessDeadLetter(asMessage(deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(4, 1))), deps)).toMatchObject({
      action: 'parked', code: 'STORE_UNAVAILABLE', attempts: 1, reason: expect.stringMatching(/^STORE_REJECTED/),
    });
  });

  it('a poison letter (claim check gone) is parked after its bounded retries without holding up the others', async () => {
    const { deps, queue, store, parking } = setup();
    const poison = claimCheckSummary(deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(5, 1)), 'bodies', 'missing.json', 70_000);
    const good = [1, 2, 3].map((i) => deadLetterFor('STORE_THROTTLED', makeTelemetry(6, i, { battery: i / 10 })));
    const inbox: unknown[] = [poison, ...good].map(asMessage);
    const outcomes = [];
    while (inbox.length > 0) {
      outcomes.push(await reprocessDeadLetter(inbox.shift(), deps));
      const next = queue.take();
      if (next) inbox.push(asMessage(next));
    }
    expect(outcomes.filter((o) => o.action === 'applied')).toHaveLength(3);
    expect(outcomes.filter((o) => o.action === 'retry-scheduled')).toHaveLength(policy.unknownMaxAttempts - 1);
    expect(await parking.get(poison.id)).toMatchObject({ code: 'STORE_UNAVAILABLE', attempts: policy.unknownMaxAttempts, reason: expect.stringContaining('retries exhausted') });
    expect((await store.get('drone-00006'))?.battery).toBe(0.3);
  });

  it('throws when the outcome cannot be recorded (the host then retries the message)', async () => {
    const { deps, parking } = setup();
    parking.down = true;
    await expect(reprocessDeadLetter(asMessage(deadLetterFor('EVENT_INVALID', Buffer.from('{}'))), deps)).rejects.toThrow('parking store down');
  });
});

describe('circuit breaker', () => {
  it('while open, letters are left for later without touching the store or spending an attempt', async () => {
    const { deps, store, queue, breaker, parking } = setup();
    breaker.status = { state: 'open' };
    const letter = { ...deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(7, 1, { battery: 0.7 })), reprocess: { attempts: 2, lastCode: 'STORE_UNAVAILABLE', lastError: 'x', lastAttemptAt: '2026-11-21T22:00:00.000Z' } };
    expect(await reprocessDeadLetter(asMessage(letter), deps)).toMatchObject({ action: 'deferred', delaySeconds: 45 });
    expect(store.states.size).toBe(0);
    expect(queue.enqueued[0]).toMatchObject({ delaySeconds: 45, letter: { id: letter.id, reprocess: { attempts: 2 } } });
    breaker.status = { state: 'open', retryAfterMs: 12_300 };
    expect(await reprocessDeadLetter(asMessage(queue.take()!), deps)).toMatchObject({ action: 'deferred', delaySeconds: 13 });
    // permanent problems are still parked: parking does not touch the store
    expect(await reprocessDeadLetter(asMessage(deadLetterFor('EVENT_MALFORMED', Buffer.from('{'))), deps)).toMatchObject({ action: 'parked' });
    expect(parking.entries.size).toBe(1);
    breaker.status = { state: 'half-open' };
    expect(await reprocessDeadLetter(asMessage(queue.take()!), deps)).toMatchObject({ action: 'applied' });
  });
});

describe('redrive', () => {
  it('a parked malformed event redriven with a corrected body is applied; redriven unchanged it is parked again', async () => {
    const { deps, store, parking } = setup();
    const letter = deadLetterFor('EVENT_MALFORMED', Buffer.from('{"deviceId":"drone-00008","timestamp":"2026-11-21T22:00:09Z","battery":0.4'));
    await reprocessDeadLetter(asMessage(letter), deps);
    const parked = (await parking.get(letter.id))!;
    const again = await reprocessDeadLetter(asMessage(markRedriven(parked.letter, { by: 'test' })), deps);
    expect(again).toMatchObject({ action: 'parked', code: 'EVENT_MALFORMED', reason: expect.stringMatching(/^EVENT_MALFORMED: body is not valid JSON/) });
    const fixed = markRedriven(parked.letter, { by: 'test', reason: 'closed the brace', body: Buffer.from('{"deviceId":"drone-00008","timestamp":"2026-11-21T22:00:09Z","battery":0.4}') });
    expect(fixed.redrive).toMatchObject({ count: 1, originalBodySha256: letter.bodySha256, reason: 'closed the brace' });
    expect(await reprocessDeadLetter(asMessage(fixed), deps)).toMatchObject({ action: 'applied', status: 'written' });
    expect((await store.get('drone-00008'))?.battery).toBe(0.4);
  });
});

describe('poison queue', () => {
  it('parks what the host gave up on, keeping the letter', async () => {
    const { deps, parking } = setup();
    const letter = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(9, 1));
    expect(await parkPoisonedDeadLetter(asMessage(letter), deps, 5)).toMatchObject({ action: 'parked', code: 'STORE_UNAVAILABLE', reason: expect.stringMatching(/^poison: .* 5 times/) });
    expect((await parking.get(letter.id))?.by).toBe('poison');
  });

  it('a tampered attempt count never reaches the outcome, the metrics or the parking entry', async () => {
    const { deps, parking } = setup();
    for (const attempts of [-1e9, '-9', 1.5]) {
      const letter = { ...deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(9, 1)), reprocess: { attempts: attempts as number, lastCode: 'STORE_TIMEOUT', lastError: 'x', lastAttemptAt: '2026-11-21T22:00:00.000Z' } };
      expect(await parkPoisonedDeadLetter(asMessage(letter), deps, 5)).toMatchObject({ action: 'parked', attempts: 0 });
      expect((await parking.get(letter.id))?.attempts).toBe(0);
    }
  });
});

describe('idempotence: replays never move state backwards', () => {
  it('any order, duplication and interleaving of retryable letters ends in the model state of all their events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(telemetryArbitrary(3, 40), { minLength: 1, maxLength: 25 }), fc.array(fc.nat(), { maxLength: 30 }), async (events, dupes) => {
        const { deps, store } = setup();
        const letters = events.map((t) => asMessage(deadLetterFor('STORE_UNAVAILABLE', t)));
        const deliveries = [...letters, ...dupes.map((d) => letters[d % letters.length])];
        for (const m of deliveries) expect(await reprocessDeadLetter(m, deps)).toMatchObject({ action: 'applied' });
        // the model sees the events as they travel: JSON (so -0 arrives as 0)
        for (const [id, expected] of expectedStates(JSON.parse(JSON.stringify(events)) as typeof events)) expect(await state(store, id)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the device-clock rule on the reprocessor\'s apply path', () => {
  it('measures against the letter\'s enqueued time, never the reprocessing time: a 9999 battery is parked, the store untouched', async () => {
    const { deps, store, parking } = setup();
    const future = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(3, 0, { timestamp: '9999-12-31T23:59:59.000Z', battery: 0.01 }));
    // Reprocessed in 2030: the old event is 400 s ahead of when Event Hubs took it, although in the past by now.
    const ahead = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(4, 400, { battery: 0.2 }));
    const fine = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(5, 299, { battery: 0.3 }));
    const later = { ...deps, clock: () => new Date('2030-01-01T00:00:00Z') };
    for (const letter of [future, ahead]) {
      const outcome = await reprocessDeadLetter(asMessage(letter), later);
      expect(outcome).toMatchObject({ action: 'parked', code: 'STORE_UNAVAILABLE', reason: expect.stringMatching(/^EVENT_CLOCK_SKEW: timestamp .* ahead of the enqueued time .*; the limit is 300 s/) });
      expect(await parking.get(letter.id)).toMatchObject({ code: 'STORE_UNAVAILABLE', letter: { reprocess: { lastCode: 'EVENT_CLOCK_SKEW' } } });
    }
    expect(await reprocessDeadLetter(asMessage(fine), later)).toMatchObject({ action: 'applied', status: 'written' });
    expect([...store.states.keys()]).toEqual([makeTelemetry(5, 0).deviceId]);
  });

  it('takes MAX_CLOCK_SKEW_SECONDS from its deps, and redriven bodies face the rule too', async () => {
    const { deps, store } = setup();
    const letter = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(6, 100, { battery: 0.4 }));
    expect(await reprocessDeadLetter(asMessage(letter), { ...deps, maxClockSkewSeconds: 60 })).toMatchObject({ action: 'parked' });
    const bad = deadLetterFor('EVENT_INVALID', Buffer.from('{"deviceId":"drone-00007"}'));
    const corrected = markRedriven(bad, { by: 'op', body: Buffer.from(JSON.stringify(makeTelemetry(7, 0, { timestamp: '2040-01-01T00:00:00.000Z', battery: 1 }))) });
    expect(await reprocessDeadLetter(asMessage(corrected), deps)).toMatchObject({ action: 'parked', reason: expect.stringContaining('EVENT_CLOCK_SKEW') });
    expect(store.states.size).toBe(0);
  });

  it('takes MAX_EVENT_AGE_SECONDS from its deps, against the letter\'s own enqueued time', async () => {
    const { deps, store } = setup();
    const letter = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(9, 0, { battery: 0.4 }));
    const behind = { ...letter, enqueuedTimeUtc: new Date(Date.parse(letter.decoded!.timestamp) + 7_200_000).toISOString() };
    expect(await reprocessDeadLetter(asMessage(behind), { ...deps, maxEventAgeSeconds: 3_600 })).toMatchObject({ action: 'parked', reason: expect.stringContaining('MAX_EVENT_AGE_SECONDS') });
    expect(store.states.size).toBe(0);
    expect(await reprocessDeadLetter(asMessage(behind), { ...deps, maxEventAgeSeconds: 10_800 })).toMatchObject({ action: 'applied' });
  });

  it('a letter that kept only the head of an oversize body is parked, not decoded as malformed', async () => {
    const { deps, parking } = setup();
    const body = Buffer.alloc(200_000, 0x78);
    body.write('{"deviceId":"drone-00008","pad":"');
    const letter = markRedriven(deadLetterFor('EVENT_OVERSIZE', body), { by: 'op' });
    expect(await reprocessDeadLetter(asMessage(letter), deps)).toMatchObject({ action: 'parked', code: 'EVENT_OVERSIZE', reason: expect.stringContaining('redrive it with a corrected body') });
    expect(await parking.get(letter.id)).toBeDefined();
  });
});
