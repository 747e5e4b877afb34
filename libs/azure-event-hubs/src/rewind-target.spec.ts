import { parseRewindTarget } from './rewind-target';

describe('parseRewindTarget', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it('reads every accepted form', () => {
    expect(parseRewindTarget('earliest', now)).toEqual({ kind: 'earliest' });
    expect(parseRewindTarget('latest', now)).toEqual({ kind: 'latest' });
    expect(parseRewindTarget('1200', now)).toEqual({ kind: 'sequence', sequenceNumber: 1200 });
    expect(parseRewindTarget('1h', now)).toEqual({ kind: 'time', at: new Date('2026-12-01T11:00:00Z') });
    expect(parseRewindTarget('1h30m', now)).toEqual({ kind: 'time', at: new Date('2026-12-01T10:30:00Z') });
    expect(parseRewindTarget('2026-12-01T06:00:00Z', now)).toEqual({ kind: 'time', at: new Date('2026-12-01T06:00:00Z') });
    expect(parseRewindTarget('2026-12-01T07:00:00+01:00', now)).toEqual({ kind: 'time', at: new Date('2026-12-01T06:00:00Z') });
  });
  it('refuses anything else, naming the forms (a time without a zone is ambiguous)', () => {
    for (const bad of ['yesterday', '-5', '1y', '2026-12-01T06:00:00', '']) expect(() => parseRewindTarget(bad, now)).toThrow(/ISO time with a zone/);
  });
});
