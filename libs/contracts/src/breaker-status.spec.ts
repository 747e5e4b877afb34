import { breakerStatusSchema, type BreakerStatusReport } from './breaker-status';

describe('breakerStatusSchema', () => {
  const report: BreakerStatusReport = {
    status: 'open', episode: 2, since: '2026-11-21T21:59:00Z', duplicateTrips: 0,
    trip: { reason: 'failures over threshold', by: 'monitor', at: '2026-11-21T21:59:00Z', counts: { STORE_UNAVAILABLE: 120 } },
    transitions: [{ from: 'closed', to: 'open', at: '2026-11-21T21:59:00Z', by: 'monitor', reason: 'failures over threshold', episode: 2 }],
    approval: { expiresAt: '2026-11-21T23:00:00Z', page: 'https://breaker/api/breaker/approve' },
    switch: { target: 'paused', state: 'failing', since: '2026-11-21T21:59:01Z', attempts: 3, lastError: 'STORE_UNAVAILABLE', nextAttemptAt: '2026-11-21T21:59:41Z' },
    target: 'arm-function: rg/app [ingestTelemetry]',
  };

  it('reads what the breaker sends', () => {
    expect(breakerStatusSchema.parse(report)).toEqual(report);
  });

  it('needs only the phase, and ignores fields it does not know (an older or newer breaker)', () => {
    expect(breakerStatusSchema.parse({ status: 'half-open', newField: 1 })).toEqual({ status: 'half-open' });
  });

  it('still reads an older breaker that sent the signed link and no switch', () => {
    const older = { status: 'open', approval: { expiresAt: '2026-11-21T23:00:00Z', approveUrl: 'https://breaker/api/breaker/approve?token=v1.x.y' } };
    expect(breakerStatusSchema.parse(older)).toEqual(older);
  });

  it('refuses an answer without a known phase', () => {
    expect(breakerStatusSchema.safeParse({ state: 'open' }).success).toBe(false);
    expect(breakerStatusSchema.safeParse({ status: 'Open' }).success).toBe(false);
  });
});
