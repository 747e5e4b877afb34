import { approverLabel, operatorIdentity, parseOperatorList, platformAuthEnabled } from './operator-identity';

const OID = '6f2b2c1e-0000-4000-8000-00000000a11c';
const GROUP = '0d3c9f7a-0000-4000-8000-0000000090b5';

/** The headers App Service Authentication (Entra ID) forwards for a signed-in user. */
function platformHeaders(over: Record<string, string | undefined> = {}, claims: Array<{ typ: string; val: string }> = []): Headers {
  const principal = {
    auth_typ: 'aad',
    name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    claims: [
      { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', val: 'alice@contoso.example' },
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: OID },
      ...claims,
    ],
  };
  const all: Record<string, string | undefined> = {
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
    'x-ms-client-principal-name': 'alice@contoso.example',
    'x-ms-client-principal-id': OID,
    'x-ms-client-principal-idp': 'aad',
    ...over,
  };
  const headers = new Headers();
  for (const [k, v] of Object.entries(all)) if (v !== undefined) headers.set(k, v);
  return headers;
}

const on = { platformAuthEnabled: true, allowedOperators: [OID], identityProvider: 'aad' };

describe('operatorIdentity: the x-ms-client-principal headers are trusted only from the platform', () => {
  it('with App Service Authentication off, the headers are ignored: anyone can send them', () => {
    const spoofed = new Headers({ 'x-ms-client-principal-name': 'ceo@contoso.example' });
    expect(operatorIdentity(spoofed, { ...on, platformAuthEnabled: false })).toEqual({ kind: 'unauthenticated', reason: 'platform-auth-off' });
    expect(operatorIdentity(platformHeaders(), { ...on, platformAuthEnabled: false })).toEqual({ kind: 'unauthenticated', reason: 'platform-auth-off' });
    expect(approverLabel(operatorIdentity(spoofed, { ...on, platformAuthEnabled: false }), 'ceo')).toBe('ceo (unauthenticated)');
  });

  it('with it on, a consistent principal is the approver, and the allow-list is checked (user or group)', () => {
    expect(operatorIdentity(platformHeaders(), on)).toEqual({ kind: 'platform', name: 'alice@contoso.example', id: OID, idp: 'aad', onAllowList: true });
    expect(operatorIdentity(platformHeaders(), { ...on, allowedOperators: [] })).toMatchObject({ kind: 'platform', onAllowList: false });
    expect(operatorIdentity(platformHeaders({}, [{ typ: 'groups', val: GROUP }]), { ...on, allowedOperators: [GROUP] })).toMatchObject({ onAllowList: true });
    expect(approverLabel(operatorIdentity(platformHeaders(), on), 'someone else')).toBe('alice@contoso.example (aad)');
  });

  it('accepts the name from whichever claim the platform took it (v2 tokens: preferred_username)', () => {
    const headers = platformHeaders({ 'x-ms-client-principal-name': 'alice@contoso.example' }, [{ typ: 'preferred_username', val: 'alice@contoso.example' }]);
    const principal = JSON.parse(Buffer.from(headers.get('x-ms-client-principal')!, 'base64').toString()) as { claims: Array<{ typ: string; val: string }> };
    principal.claims = principal.claims.filter((c) => !c.typ.endsWith('/claims/name'));
    headers.set('x-ms-client-principal', Buffer.from(JSON.stringify(principal)).toString('base64'));
    expect(operatorIdentity(headers, on)).toMatchObject({ kind: 'platform', name: 'alice@contoso.example', onAllowList: true });
  });

  it.each([
    ['a name that is not the principal\'s', { 'x-ms-client-principal-name': 'ceo@contoso.example' }],
    ['an id that is not the principal\'s', { 'x-ms-client-principal-id': '00000000-0000-4000-8000-000000000000' }],
    ['another identity provider than the principal\'s', { 'x-ms-client-principal-idp': 'github' }],
    ['no principal blob', { 'x-ms-client-principal': undefined }],
    ['a principal blob that is not JSON', { 'x-ms-client-principal': 'bm90IGpzb24=' }],
    ['no idp header', { 'x-ms-client-principal-idp': undefined }],
  ])('refuses %s as inconsistent', (_what, over) => {
    expect(operatorIdentity(platformHeaders(over), on)).toEqual({ kind: 'unauthenticated', reason: 'inconsistent-principal' });
  });

  it('no headers at all: an anonymous request', () => {
    expect(operatorIdentity(new Headers(), on)).toEqual({ kind: 'unauthenticated', reason: 'no-principal' });
    expect(approverLabel({ kind: 'unauthenticated', reason: 'no-principal' }, undefined)).toBe('approval link (unauthenticated)');
    expect(approverLabel({ kind: 'unauthenticated', reason: 'no-principal' }, ' bob\u0000 ')).toBe('bob (unauthenticated)');
  });

  it('reads the settings as App Service and the infra write them', () => {
    expect(platformAuthEnabled('True')).toBe(true);
    expect(platformAuthEnabled('true')).toBe(true);
    expect(platformAuthEnabled('False')).toBe(false);
    expect(platformAuthEnabled(undefined)).toBe(false);
    expect(parseOperatorList(` ${OID.toUpperCase()}, ${GROUP};`)).toEqual([OID, GROUP]);
  });
});
