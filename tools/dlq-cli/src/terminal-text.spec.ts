import fc from 'fast-check';
import { redactedBase64Body, redactedJsonText, shown, shownBase64Body, shownBlock } from './terminal-text';

const OBEYED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const OBEYED_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Any string, with the characters a terminal obeys mixed in. */
const hostileText = fc.array(fc.oneof(fc.string(), fc.constantFrom('\x1b', '\x07', '\x9b', '\x9d', '\r', '\n', '\t', '\x7f', '\u202e', '\u2066', '\u2069', '\x1b]52;c;', '\\u001b')), { maxLength: 12 }).map((parts) => parts.join(''));

describe('terminal text', () => {
  it('shown: whatever the text, a terminal obeys nothing in it and it stays on one line', () => {
    fc.assert(fc.property(hostileText, (text) => expect(shown(text)).not.toMatch(OBEYED)));
    expect(shown('\x1b]0;title\x07\x9b2J\r\n\u202eabc')).toBe('\\x1b]0;title\\x07\\x9b2J\\x0d\\x0a\\u202eabc');
  });

  it('shown: any value a crafted letter holds, never throwing', () => {
    expect(shown({ toString: 1, code: '\x1b' })).toBe('{"toString":1,"code":"\\u001b"}');
    expect(shown(42)).toBe('42');
    expect(shown(null)).toBe('-');
    expect(shown(undefined, '(none)')).toBe('(none)');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(shown(cyclic)).toBe('[unprintable]');
  });

  it('shown: credentials are masked, also when percent-encoding or \\u escapes hide them, and escapes they decode to stay inert', () => {
    expect(shown('AccountKey=abc123;x')).toBe('AccountKey=***;x');
    const text = shown('see Password%3Dhunter2%1B%5D0%3Bt%07');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(OBEYED);
  });

  it('shownBlock keeps line feeds and tabs, escapes the rest', () => {
    fc.assert(fc.property(hostileText, (text) => expect(shownBlock(text)).not.toMatch(OBEYED_BUT_LAYOUT)));
    expect(shownBlock('a\n\tb\r\n\x1b[2J')).toBe('a\n\tb\\x0d\n\\x1b[2J');
  });

  it('redactedJsonText: JSON that reads back as the same value, with nothing a terminal obeys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostileText, (value, text) => {
        const json = redactedJsonText({ value, text });
        expect(json.replace(/\n/g, '')).not.toMatch(OBEYED);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, text })));
      }),
    );
  });

  it('redactedBase64Body masks a labelled credential and keeps every other byte; shownBase64Body escapes what is not base64', () => {
    const body = Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from('{"conn":"AccountKey=s3cret;EndpointSuffix=x","data":"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw"}')]);
    expect(Buffer.from(redactedBase64Body(body.toString('base64')), 'base64')).toEqual(
      Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from('{"conn":"AccountKey=***;EndpointSuffix=x","data":"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkw"}')]),
    );
    const clean = Buffer.from('no credential here').toString('base64');
    expect(redactedBase64Body(clean)).toBe(clean);
    expect(shownBase64Body('AAAA\x1b[2J')).toBe('AAAA\\x1b[2J');
  });
});
