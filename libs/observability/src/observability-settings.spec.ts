import { parseConfig } from '@telemetry/core';
import { aadAuthentication, observabilitySettingsSchema } from './observability-settings';

describe('observability settings', () => {
  it('are all optional: locally nothing is set and metrics stay in memory', () => {
    expect(parseConfig(observabilitySettingsSchema, {})).toEqual({});
  });

  it('check the connection string at start, as the exporter would on its first export (InstrumentationKey a lower-case GUID)', () => {
    const good = 'InstrumentationKey=00000000-0000-0000-0000-0000000000a1;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
    expect(parseConfig(observabilitySettingsSchema, { APPLICATIONINSIGHTS_CONNECTION_STRING: good })).toEqual({ APPLICATIONINSIGHTS_CONNECTION_STRING: good });
    expect(parseConfig(observabilitySettingsSchema, { APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://x/; instrumentationkey = 00000000-0000-0000-0000-0000000000a1' })).toBeTruthy();
    for (const bad of ['IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/', 'InstrumentationKey=not-a-guid', 'InstrumentationKey=00000000-0000-0000-0000-0000000000A1', 'a1b2']) {
      expect(() => parseConfig(observabilitySettingsSchema, { APPLICATIONINSIGHTS_CONNECTION_STRING: bad })).toThrow(/APPLICATIONINSIGHTS_CONNECTION_STRING.*InstrumentationKey=<GUID/s);
    }
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
