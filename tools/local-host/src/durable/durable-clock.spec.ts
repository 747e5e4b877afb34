import { DurableClock } from './durable-clock';

describe('DurableClock', () => {
  it('manual: time stands still and advance() fires due timers in due order', () => {
    const clock = new DurableClock('manual');
    const start = clock.now();
    const fired: string[] = [];
    clock.schedule(start + 2000, () => fired.push('b'));
    clock.schedule(start + 1000, () => fired.push('a'));
    const cancel = clock.schedule(start + 1500, () => fired.push('cancelled'));
    cancel();
    expect(clock.now()).toBe(start);
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1001);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(start + 2000);
    clock.stop();
  });

  it('real: advance is refused; a due timer fires on its own', async () => {
    const clock = new DurableClock('real');
    expect(() => clock.advance(1)).toThrow(/LOCAL_DURABLE_CLOCK=manual/);
    await new Promise<void>((resolve) => clock.schedule(clock.now() + 5, resolve));
    clock.stop();
  });
});
