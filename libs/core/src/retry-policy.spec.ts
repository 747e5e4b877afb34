import { executeWithRetries, transientRetryPolicy, UNKNOWN_MAX_ATTEMPTS } from './retry-policy';
import { PipelineError } from './pipeline-error';

describe('executeWithRetries under a transientRetryPolicy', () => {
  const rideOut = transientRetryPolicy({ maxAttempts: 16, initialDelayMs: 0, maxDelayMs: 0 });

  async function callsUntilGivenUp(code: 'UNKNOWN' | 'STORE_UNAVAILABLE' | 'EVENT_INVALID'): Promise<{ calls: number; error: PipelineError }> {
    let calls = 0;
    const error = await executeWithRetries(rideOut, async () => {
      calls++;
      throw new PipelineError(code, 'failed', { stage: 'reprocess' });
    }).catch((e: unknown) => e as PipelineError);
    return { calls, error };
  }

  it('rides out an outage with every attempt the policy allows', async () => {
    expect(await callsUntilGivenUp('STORE_UNAVAILABLE')).toMatchObject({ calls: 16, error: { code: 'STORE_UNAVAILABLE', retryable: true } });
  });

  it('gives an error of unknown cause its few attempts only, then throws it as it was (still retryable by the caller)', async () => {
    const { calls, error } = await callsUntilGivenUp('UNKNOWN');
    expect(calls).toBe(UNKNOWN_MAX_ATTEMPTS);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ code: 'UNKNOWN', message: 'failed', stage: 'reprocess', retryable: true });
  });

  it('returns what a later attempt returns', async () => {
    let calls = 0;
    const value = await executeWithRetries(rideOut, async (attempt) => {
      calls++;
      if (attempt < 5) throw new PipelineError('STORE_TIMEOUT', 'slow', { stage: 'reprocess' });
      return 'stored';
    });
    expect({ value, calls }).toEqual({ value: 'stored', calls: 6 });
  });

  it('never retries a permanent error', async () => {
    expect(await callsUntilGivenUp('EVENT_INVALID')).toMatchObject({ calls: 1 });
  });
});
