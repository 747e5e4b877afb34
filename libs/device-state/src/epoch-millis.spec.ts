import fc from 'fast-check';
import { epochMillis } from './epoch-millis';
import { telemetrySchema } from './telemetry';
import { timestampArbitrary } from './testing';

const accepted = (timestamp: string): boolean => telemetrySchema.shape.timestamp.safeParse(timestamp).success;

describe('epochMillis', () => {
  it('equals Date.parse for every timestamp the schema accepts', () => {
    fc.assert(
      fc.property(timestampArbitrary(), (timestamp) => {
        fc.pre(accepted(timestamp));
        expect(epochMillis(timestamp)).toBe(Date.parse(timestamp));
      }),
      { numRuns: 4000 },
    );
  });

  it('reads the canonical forms itself and the edges through Date.parse', () => {
    for (const t of ['2026-11-21T22:00:00Z', '2026-11-21T22:00:00.123Z', '0100-01-01T00:00:00.000Z', '0099-12-31T23:59:59.999Z', '0000-01-01T00:00:00Z', '2024-02-29T23:59:59.999Z', '9999-12-31T23:59:59.999Z', '2026-11-21T22:00:00.1234Z', '2026-11-21T22:00:00.1+05:30']) {
      expect(accepted(t)).toBe(true);
      expect(epochMillis(t)).toBe(Date.parse(t));
    }
  });
});
