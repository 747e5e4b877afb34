import { parseConfig } from '@telemetry/core';
import { aadAuthentication, observabilitySettingsSchema } from './observability-settings';

describe('observability settings', () => {
  it('are all optional: locally nothing is set and metrics stay in memory', () => {
    expect(parseConfig(observabilitySettingsSchema, {})).toEqual({});
  });

  it.each([
    ['Authorization=AAD;ClientId=1234-abcd', { clientId: '1234-abcd' }],
    ['ClientId=1234-abcd;Authorization=AAD', { clientId: '1234-abcd' }],
    [' authorization = aad ; clientid = x ', { clientId: 'x' }],
    ['Authorization=AAD', {}],
    ['ClientId=1234-abcd', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('aadAuthentication(%p)', (input, expected) => {
    expect(aadAuthentication(input)).toEqual(expected);
  });
});
