import { onFirstUse } from './on-first-use';

describe('onFirstUse', () => {
  it('builds nothing until the first call, then once for every caller', async () => {
    let builds = 0;
    const get = onFirstUse(async () => ({ n: ++builds }));
    expect(builds).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();
    expect(builds).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('a failed build fails its callers and is tried again by the next call', async () => {
    let attempt = 0;
    const get = onFirstUse(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('chunk not found');
      return 'sink';
    });
    await expect(get()).rejects.toThrow('chunk not found');
    await expect(get()).resolves.toBe('sink');
    expect(attempt).toBe(2);
  });
});
