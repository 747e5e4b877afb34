import { HttpRequest } from '@azure/functions';
import { InMemoryBreakerControl, testServices } from '../testing';
import { createTripBreaker } from './tripBreaker';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const OPERATOR = '6f2b2c1e-0000-4000-8000-00000000a11c';
const principal = Buffer.from(JSON.stringify({
  auth_typ: 'aad',
  claims: [{ typ: 'preferred_username', val: 'alice@contoso.example' }, { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: OPERATOR }],
})).toString('base64');
const signedIn = { 'x-ms-client-principal': principal, 'x-ms-client-principal-name': 'alice@contoso.example', 'x-ms-client-principal-id': OPERATOR, 'x-ms-client-principal-idp': 'aad' };
const trip = (headers: Record<string, string>) =>
  new HttpRequest({ method: 'POST', url: 'https://breaker.example/api/breaker/trip', headers: { 'content-type': 'application/json', ...headers }, body: { string: '{"reason":"drill"}' } });

describe('tripBreaker records who tripped only as far as the platform vouches (issue 13 item 8)', () => {
  it('a client-sent principal name is not believed without App Service Authentication', async () => {
    const { services } = testServices({ ms: T0 });
    const control = new InMemoryBreakerControl();
    expect((await createTripBreaker(() => services)(trip({ 'x-ms-client-principal-name': 'ceo@contoso.example' }), control)).status).toBe(202);
    expect(control.started[0]?.trip).toEqual({ reason: 'drill', by: 'manual:function-key', counts: {} });
  });

  it('with it on, an operator on BREAKER_OPERATORS trips, and the platform name is recorded', async () => {
    const { services } = testServices({ ms: T0 }, { WEBSITE_AUTH_ENABLED: 'True', BREAKER_OPERATORS: OPERATOR });
    const control = new InMemoryBreakerControl();
    expect((await createTripBreaker(() => services)(trip({ ...signedIn, origin: 'https://breaker.example' }), control)).status).toBe(202);
    expect(control.started[0]?.trip.by).toBe('manual:alice@contoso.example (aad)');
  });
});

describe('with operator sign-in on, tripping takes the authority of the person acting, not a key (least authority)', () => {
  const refused = async (headers: Record<string, string>, env: Record<string, string>, status: number, error: string) => {
    const { services } = testServices({ ms: T0 }, { WEBSITE_AUTH_ENABLED: 'True', ...env });
    const control = new InMemoryBreakerControl();
    const response = await createTripBreaker(() => services)(trip(headers), control);
    expect(response).toMatchObject({ status, jsonBody: { error } });
    expect(control.started).toEqual([]);
  };

  it('the function key alone (no signed-in identity) is refused: 403 OPERATOR_REQUIRED', async () => {
    await refused({ 'x-functions-key': 'leaked-key' }, { BREAKER_OPERATORS: OPERATOR }, 403, 'OPERATOR_REQUIRED');
  });

  it('a signed-in identity that is not on BREAKER_OPERATORS is refused', async () => {
    await refused(signedIn, { BREAKER_OPERATORS: '00000000-0000-4000-8000-000000000bad' }, 403, 'OPERATOR_REQUIRED');
  });

  it('a cross-site request riding on an operator\'s session is refused', async () => {
    await refused({ ...signedIn, origin: 'https://evil.example' }, { BREAKER_OPERATORS: OPERATOR }, 403, 'CROSS_SITE');
  });

  it('an operator\'s bearer token (no Origin: a CLI) trips', async () => {
    const { services } = testServices({ ms: T0 }, { WEBSITE_AUTH_ENABLED: 'True', BREAKER_OPERATORS: OPERATOR });
    const control = new InMemoryBreakerControl();
    expect((await createTripBreaker(() => services)(trip({ ...signedIn, authorization: 'Bearer x' }), control)).status).toBe(202);
    expect(control.started[0]?.trip.by).toBe('manual:alice@contoso.example (aad)');
  });
});
