import { formatNotice } from './breaker-notice';

describe('formatNotice: switch notices (issue 13 item 9)', () => {
  it('says what the switch should do, how often it failed, with which code and when it tries next', () => {
    const message = formatNotice({
      kind: 'switch-failing', episode: 3, at: '2026-11-21T12:00:05Z', reason: 'the pause call failed 10 times (STORE_UNAVAILABLE); retrying until it works',
      counts: {}, target: 'arm-function: rg/app [ingestTelemetry]', statusUrl: 'https://breaker.example/api/breaker',
      switch: { target: 'paused', attempts: 10, lastError: 'STORE_UNAVAILABLE', nextAttemptAt: '2026-11-21T12:05:05Z' },
    });
    expect(message.title).toBe('Circuit breaker cannot switch ingestion: retrying');
    expect(message.text).toContain('Switch: ingestion should be paused; 10 failed tries (last: STORE_UNAVAILABLE); next try 2026-11-21T12:05:05Z');
    expect(message.text).not.toContain('Resume (single use');
    expect(formatNotice({ kind: 'switch-recovered', episode: 3, at: 'x', reason: 'ingestion paused after 10 failed tries', counts: {}, target: 't', switch: { target: 'paused', attempts: 10 } }).title)
      .toBe('Circuit breaker switch works again');
  });
});
