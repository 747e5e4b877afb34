import { PipelineError } from '@telemetry/core';
import { switchFailureCode } from './switch-failure';

describe('switchFailureCode', () => {
  it('names the issue code and the HTTP status, never the message', () => {
    const arm = Object.assign(new Error('AuthorizationFailed: https://management.azure.com/... client 1234'), { statusCode: 403 });
    expect(switchFailureCode(new PipelineError('UNKNOWN', 'x', { cause: arm }))).toBe('UNKNOWN (HTTP 403)');
    expect(switchFailureCode(Object.assign(new Error('throttled'), { statusCode: 429 }))).toMatch(/ \(HTTP 429\)$/);
    expect(switchFailureCode(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('STORE_UNAVAILABLE');
    expect(switchFailureCode('weird')).toBe('UNKNOWN');
  });
});
