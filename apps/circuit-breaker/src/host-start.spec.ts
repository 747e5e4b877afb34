import path from 'node:path';
import { hostStartFailure } from '@telemetry/function-app-kit/testing';

// Settings are validated when the host starts (app.hook.appStart), not at the first invocation.
describe('circuit-breaker: a bad setting fails the host at start', () => {
  it('names the bad key and the host never becomes ready', async () => {
    const message = await hostStartFailure(path.join(__dirname, 'main.ts'), { FailureTracking: 'UseDevelopmentStorage=true', BREAKER_SWITCH: 'arm-app', PUBLIC_BASE_URL: 'https://breaker.example', APPROVAL_SIGNING_KEY: 'too-short' });
    expect(message).toMatch(/before it was ready/);
    expect(message).toMatch(/host failed to start.*invalid configuration: .*APPROVAL_SIGNING_KEY/);
  });
});
