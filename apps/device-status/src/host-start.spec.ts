import path from 'node:path';
import { hostStartFailure } from '@telemetry/function-app-kit/testing';

// Settings are validated when the host starts (app.hook.appStart), not at the first invocation.
describe('device-status: a bad setting fails the host at start', () => {
  it('names the bad key and the host never becomes ready', async () => {
    const message = await hostStartFailure(path.join(__dirname, 'main.ts'), { COSMOS_ENDPOINT: 'http://127.0.0.1:9/', OPS_PROBE_TIMEOUT_MS: 'soon' });
    expect(message).toMatch(/before it was ready/);
    expect(message).toMatch(/host failed to start.*invalid configuration: .*OPS_PROBE_TIMEOUT_MS/);
  });
});
