import { rssSlopeMbPerMin } from './soak';

describe('rssSlopeMbPerMin (the soak\'s RSS growth after warm-up)', () => {
  it('is the least-squares slope in MB per minute, flat for a constant RSS, null with too few samples', () => {
    // 0.5 MB every 15 s = 2 MB/min, with noise around the line.
    const rising = Array.from({ length: 20 }, (_, i) => ({ t: i * 15, rssMb: 200 + i * 0.5 + (i % 2 ? 0.3 : -0.3) }));
    expect(rssSlopeMbPerMin(rising)).toBeCloseTo(2, 0);
    expect(rssSlopeMbPerMin(Array.from({ length: 10 }, (_, i) => ({ t: i * 5, rssMb: 180 })))).toBe(0);
    expect(rssSlopeMbPerMin([{ t: 0, rssMb: 1 }, { t: 5, rssMb: 2 }])).toBeNull();
  });
});
