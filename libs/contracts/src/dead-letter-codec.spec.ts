import { DEAD_LETTER_SCHEMA } from './dead-letter';
import { decodeDeadLetter, encodeDeadLetter } from './dead-letter-codec';

// Queue messages are untrusted: whoever can write the queue writes them. A letter whose id or code
// is not text would throw wherever it is printed (`${code}` calls a crafted toString), and could
// never be parked; it is not a letter, so the reprocessor wraps it and parks it whole.
describe('decodeDeadLetter', () => {
  const letter = { schema: DEAD_LETTER_SCHEMA, id: '0123456789abcdef0123456789abcdef', issue: { code: 'STORE_UNAVAILABLE', message: 'down', retryable: true, stage: 'store' } };

  it('reads a letter from base64 or JSON text', () => {
    expect(decodeDeadLetter(encodeDeadLetter(letter as never))).toMatchObject(letter);
    expect(decodeDeadLetter(JSON.stringify(letter))).toMatchObject(letter);
  });

  it.each([
    ['an object code with its own toString', { ...letter, issue: { ...letter.issue, code: { toString: 1 } } }],
    ['a number code', { ...letter, issue: { ...letter.issue, code: 7 } }],
    ['an issue that is a string', { ...letter, issue: 'STORE_UNAVAILABLE' }],
    ['no issue', { ...letter, issue: null }],
    ['a number id', { ...letter, id: 42 }],
    ['another schema', { ...letter, schema: 'something-else' }],
  ])('refuses %s', (_what, value) => {
    expect(() => decodeDeadLetter(value as object)).toThrow('not a telemetry dead letter');
  });
});
