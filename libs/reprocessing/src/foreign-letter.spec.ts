import { createHash } from 'node:crypto';
import { foreignLetter } from './foreign-letter';

// A queue message that is not a dead letter is parked whole, so an operator can read it: anyone
// who can write the queue wrote it, and a credential in it is masked like one in any letter's body.
describe('foreignLetter', () => {
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  const connection = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key};EndpointSuffix=core.windows.net`;

  it('masks a credential in the message, in any encoding, and says so; the hash is of what came in', () => {
    for (const text of [`note for ops: ${connection}`, `note: ${Buffer.from(connection).toString('base64')}`, `note: ${encodeURIComponent(connection)}`]) {
      const letter = foreignLetter(text, new Date('2026-12-02T06:00:00.000Z'));
      const kept = Buffer.from(letter.body!, 'base64').toString('utf8');
      expect(kept).not.toContain(key);
      expect(kept).toMatch(/^note/);
      expect(letter).toMatchObject({ bodyRedacted: true, bodyBytes: Buffer.byteLength(text), bodySha256: createHash('sha256').update(text).digest('hex'), issue: { code: 'UNKNOWN' } });
    }
  });

  it('keeps a message without one byte for byte', () => {
    const letter = foreignLetter('not a dead letter at all');
    expect(Buffer.from(letter.body!, 'base64').toString()).toBe('not a dead letter at all');
    expect(letter.bodyRedacted).toBeUndefined();
  });
});
