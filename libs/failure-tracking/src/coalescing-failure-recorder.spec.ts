import { CoalescingFailureRecorder } from './coalescing-failure-recorder';
import { InMemoryFailureCounter } from './testing';

describe('CoalescingFailureRecorder', () => {
  it('keeps the counts of a failed write for the next one', async () => {
    const counter = new InMemoryFailureCounter(() => 1_000_000);
    const recorder = new CoalescingFailureRecorder(counter);
    counter.failNext = 1;
    await expect(recorder.record({ STORE_UNAVAILABLE: 7 })).rejects.toThrow('unavailable');
    await recorder.record({ STORE_TIMEOUT: 1 });
    expect(await counter.windowTotal(30_000)).toMatchObject({ total: 8, byCode: { STORE_UNAVAILABLE: 7, STORE_TIMEOUT: 1 } });
  });

  it('writes nothing for an empty report', async () => {
    const counter = new InMemoryFailureCounter();
    await new CoalescingFailureRecorder(counter).record({});
    expect(counter.writes).toBe(0);
  });
});
