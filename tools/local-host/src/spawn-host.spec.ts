import { DEFAULT_INSTANCE_MEMORY_MB, heapLimitForInstance } from './spawn-host';

describe('heapLimitForInstance', () => {
  it('gives the V8 default for the instance size: a quarter of its memory', () => {
    expect(heapLimitForInstance(DEFAULT_INSTANCE_MEMORY_MB)).toBe(512);
    expect(heapLimitForInstance(4096)).toBe(1024);
    expect(heapLimitForInstance(512)).toBe(128);
  });
});
