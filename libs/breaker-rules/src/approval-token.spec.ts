import fc from 'fast-check';
import { signApprovalToken, verifyApprovalToken, type ApprovalClaims } from './approval-token';

const key = 'k'.repeat(40);
const claims: ApprovalClaims = { instanceId: 'episode-1', episode: 1, nonce: 'n-1', exp: 2_000 };

describe('approval tokens', () => {
  it('verify when signed with the key and unexpired', () => {
    expect(verifyApprovalToken(signApprovalToken(claims, key), key, 1_999)).toEqual({ ok: true, claims });
  });

  it('refuse expired tokens', () => {
    expect(verifyApprovalToken(signApprovalToken(claims, key), key, 2_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token signed with another key', () => {
    expect(verifyApprovalToken(signApprovalToken(claims, 'x'.repeat(40)), key, 0)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuse any tampering with the claims or signature', () => {
    const token = signApprovalToken(claims, key);
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'ABCabc012-_.'.split('')), (at, ch) => {
        fc.pre(token[at] !== ch);
        const forged = token.slice(0, at) + ch + token.slice(at + 1);
        const check = verifyApprovalToken(forged, key, 0);
        // base64url has padding-free aliases only in the last char's spare bits: any accepted
        // variant must decode to the very same claims.
        if (check.ok) expect(check.claims).toEqual(claims);
      }),
    );
    const extended = signApprovalToken({ ...claims, exp: 9_999_999 }, key).split('.')[1];
    const [v, , sig] = token.split('.');
    expect(verifyApprovalToken(`${v}.${extended}.${sig}`, key, 0)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyApprovalToken('garbage', key, 0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses to sign with a short key', () => {
    expect(() => signApprovalToken(claims, 'short')).toThrow('too short');
  });
});
