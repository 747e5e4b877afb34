import { PollingBackoff } from './polling-backoff';

describe('PollingBackoff', () => {
  it('grows from the minimum to the maximum and resets', () => {
    const backoff = new PollingBackoff(100, 2000, () => 0.5);
    const delays = Array.from({ length: 8 }, () => backoff.next());
    expect(delays[0]).toBe(100);
    expect(delays[1]).toBe(200);
    expect(delays.at(-1)).toBe(2000);
    expect(delays.every((d, i) => i === 0 || d >= delays[i - 1]!)).toBe(true);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('stays within bounds with jitter', () => {
    const backoff = new PollingBackoff(100, 1000);
    for (let i = 0; i < 50; i++) {
      const d = backoff.next();
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });
});
