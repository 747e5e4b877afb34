import { ReprocessorMetrics } from './reprocessor-metrics';

describe('ReprocessorMetrics', () => {
  it('counts a letter applied or parked twice (two copies, one id) once, and the second copy as a duplicate (issue 13 item 3)', () => {
    const m = new ReprocessorMetrics();
    m.record({ action: 'applied', deadLetterId: 'a', code: 'STORE_TIMEOUT', status: 'written' });
    m.record({ action: 'applied', deadLetterId: 'a', code: 'STORE_TIMEOUT', status: 'unchanged' });
    m.record({ action: 'applied', deadLetterId: 'b', code: 'STORE_TIMEOUT', status: 'written' });
    m.record({ action: 'parked', deadLetterId: 'c', code: 'EVENT_INVALID', reason: 'r', attempts: 0 });
    m.record({ action: 'parked', deadLetterId: 'c', code: 'EVENT_INVALID', reason: 'r', attempts: 0 });
    m.record({ action: 'retry-scheduled', deadLetterId: 'd', code: 'STORE_TIMEOUT', attempts: 1, delaySeconds: 10, lastErrorCode: 'STORE_TIMEOUT' });
    m.record({ action: 'retry-scheduled', deadLetterId: 'd', code: 'STORE_TIMEOUT', attempts: 2, delaySeconds: 20, lastErrorCode: 'STORE_TIMEOUT' });
    expect(m.snapshot()).toMatchObject({
      reprocessed: { STORE_TIMEOUT: 2 }, parked: { EVENT_INVALID: 1 }, retryScheduled: { STORE_TIMEOUT: 2 },
      duplicates: { STORE_TIMEOUT: 1, EVENT_INVALID: 1 },
    });
  });
});
