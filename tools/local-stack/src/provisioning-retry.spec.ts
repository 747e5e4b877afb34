import { retryTransient } from '@telemetry/provisioning';

// The stack's and the specs' provisioning calls are create-if-not-exists: safe to repeat, and the
// product's clients make one try per call. A reset socket (a keep-alive closed under the request)
// must not fail a stack start or a test setup; anything else must surface at once.
describe('retryTransient (provisioning)', () => {
  const failing = (errors: unknown[], value = 'created') => {
    let calls = 0;
    return { call: async () => { const e = errors[calls++]; if (e) throw e; return value; }, calls: () => calls };
  };

  it('repeats a call that failed on a reset socket, and returns its result', async () => {
    const hangUp = Object.assign(new Error('socket hang up'), { name: 'RestError' });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const f = failing([hangUp, reset]);
    await expect(retryTransient(f.call)).resolves.toBe('created');
    expect(f.calls()).toBe(3);
  });

  it('does not repeat what a retry cannot cure (a conflict, a refusal), and gives up after its attempts', async () => {
    const conflict = Object.assign(new Error('TableAlreadyExists'), { statusCode: 409 });
    const f = failing([conflict]);
    await expect(retryTransient(f.call)).rejects.toBe(conflict);
    expect(f.calls()).toBe(1);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const g = failing([reset, reset, reset, reset, reset]);
    await expect(retryTransient(g.call, 3)).rejects.toBe(reset);
    expect(g.calls()).toBe(3);
  });
});
