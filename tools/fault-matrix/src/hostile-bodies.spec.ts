import { PipelineError } from '@telemetry/core';
import { decodeTelemetry } from '@telemetry/device-state';
import { hostileBodies } from './hostile-bodies';

describe('hostileBodies (fast-check, seeded)', () => {
  const bodies = hostileBodies({ count: 600, seed: 42, startTime: Date.parse('2026-01-01T00:00:00Z'), maxOversize: 5 });

  it('covers every attack, and is reproducible from its seed', () => {
    expect(new Set(bodies.map((b) => b.attack))).toEqual(new Set(['bad-utf8', 'deep-nesting', 'huge-number', 'prototype-pollution', 'not-an-object', 'garbage', 'oversize', 'hostile-extras']));
    const again = hostileBodies({ count: 600, seed: 42, startTime: Date.parse('2026-01-01T00:00:00Z'), maxOversize: 5 });
    expect(again.map((b) => b.body.toString('base64'))).toEqual(bodies.map((b) => b.body.toString('base64')));
  });

  it('every corrupt body is rejected by the wire contract with its expected code (several seeds)', () => {
    const more = [1, 1000, 7].flatMap((seed) => hostileBodies({ count: 1500, seed, startTime: Date.now(), maxOversize: 2 }));
    for (const b of [...bodies, ...more].filter((x) => x.kind === 'corrupt')) {
      let code: string | undefined;
      try {
        decodeTelemetry(b.body);
      } catch (error) {
        code = (error as PipelineError).code;
      }
      expect({ attack: b.attack, code }).toEqual({ attack: b.attack, code: b.expectedCode });
    }
  });

  it('every valid body decodes to exactly its telemetry: hostile extras stripped, no prototype touched', () => {
    for (const b of bodies.filter((x) => x.kind === 'valid')) {
      const { telemetry } = decodeTelemetry(b.body);
      expect(telemetry).toEqual(b.telemetry);
      expect(Object.getPrototypeOf(telemetry)).toBe(Object.prototype);
      expect(Object.keys(telemetry).every((k) => ['deviceId', 'timestamp', 'battery', 'flightMode', 'position', 'health', 'keyFrame'].includes(k))).toBe(true);
    }
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('oversize bodies are bounded (above 64 KiB, under the 1 MB event limit), the others under 64 KiB', () => {
    for (const b of bodies) {
      if (b.attack === 'oversize') expect(b.body.byteLength).toBeGreaterThan(64 * 1024);
      else expect(b.body.byteLength).toBeLessThanOrEqual(64 * 1024);
      expect(b.body.byteLength).toBeLessThan(1024 * 1024);
    }
  });
});
