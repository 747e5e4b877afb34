import fc from 'fast-check';
import { bucketFromKey, bucketKey, bucketStart, windowBuckets } from './time-buckets';

describe('windowBuckets', () => {
  it('counts every event of the window, and nothing older than one bucket before it or before notBefore', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.constantFrom(1_000, 5_000, 10_000),
        fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
        (events, now, windowMs, bucketMs, notBefore) => {
          const { first, last } = windowBuckets(now, windowMs, bucketMs, notBefore);
          const counted = events.filter((t) => t <= now && bucketStart(t, bucketMs) >= first && bucketStart(t, bucketMs) <= last);
          for (const t of events) {
            const inWindow = t > now - windowMs && t <= now;
            const afterNotBefore = notBefore === undefined || bucketStart(t, bucketMs) >= notBefore;
            // Lower bound: whatever is in the window, in a bucket wholly after notBefore, counts.
            if (inWindow && afterNotBefore) expect(counted).toContain(t);
          }
          for (const t of counted) {
            // Upper bound: at most one partial bucket older than the window, never before notBefore.
            expect(t).toBeGreaterThan(now - windowMs - bucketMs);
            if (notBefore !== undefined) expect(t).toBeGreaterThanOrEqual(notBefore);
          }
        },
      ),
    );
  });

  it('keys sort like the times they encode', () => {
    fc.assert(
      fc.property(fc.nat({ max: 4_102_444_800_000 }), fc.nat({ max: 4_102_444_800_000 }), (a, b) => {
        expect(Math.sign(bucketKey(a).localeCompare(bucketKey(b)))).toBe(Math.sign(a - b));
        expect(bucketFromKey(bucketKey(a))).toBe(a);
      }),
    );
  });
});
