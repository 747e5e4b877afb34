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

  it('with it on and consistent headers, the platform name is recorded', async () => {
    const { services } = testServices({ ms: T0 }, { WEBSITE_AUTH_ENABLED: 'True' });
    const control = new InMemoryBreakerControl();
    expect((await createTripBreaker(() => services)(trip(signedIn), control)).status).toBe(202);
    expect(control.started[0]?.trip.by).toBe('manual:alice@contoso.example (aad)');
  });
});
