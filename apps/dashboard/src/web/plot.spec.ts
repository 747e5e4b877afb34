import fc from 'fast-check';
import { batteryColor, fillFrame, fitBounds, projector } from './plot';
import { RateTracker } from './rates';
import type { Device } from './types';

const at = (latitude: number, longitude: number, id = `${latitude},${longitude}`): Device => ({ deviceId: id, position: { latitude, longitude, altitude: 0 }, lastEventTime: '', updatedAt: '' });

describe('map plot', () => {
  it('no positions -> no bounds; one device -> a small padded frame around it', () => {
    expect(fitBounds([{ deviceId: 'x', lastEventTime: '', updatedAt: '' }])).toBeUndefined();
    const b = fitBounds([at(47.6, -122.3)])!;
    expect(b.south).toBeLessThan(47.6);
    expect(b.north).toBeGreaterThan(47.6);
    expect(b.north - b.south).toBeCloseTo(0.02, 5);
  });

  it('every device lands inside the drawing, north up, west left (property)', () => {
    const coord = fc.tuple(fc.double({ min: -89, max: 89, noNaN: true }), fc.double({ min: -179, max: 179, noNaN: true }));
    fc.assert(
      fc.property(fc.array(coord, { minLength: 1, maxLength: 30 }), (coords) => {
        const devices = coords.map(([lat, lon], i) => at(lat, lon, String(i)));
        const project = projector(fitBounds(devices)!, 800, 480);
        for (const [lat, lon] of coords) {
          const { x, y } = project(lat, lon);
          expect(x).toBeGreaterThanOrEqual(-1e-6);
          expect(x).toBeLessThanOrEqual(800 + 1e-6);
          expect(y).toBeGreaterThanOrEqual(-1e-6);
          expect(y).toBeLessThanOrEqual(480 + 1e-6);
        }
        const [a, b] = [coords[0]!, coords[coords.length - 1]!];
        if (a[0] > b[0] + 1e-9) expect(project(a[0], a[1]).y).toBeLessThan(project(b[0], a[1]).y + 1e-9);
      }),
    );
  });

  it('fillFrame: the fleet box grown to the frame aspect fills the frame, every drone still inside (property)', () => {
    const coord = fc.tuple(fc.double({ min: -70, max: 70, noNaN: true }), fc.double({ min: -170, max: 170, noNaN: true }));
    const frame = fc.tuple(fc.integer({ min: 200, max: 2400 }), fc.integer({ min: 150, max: 1400 }));
    fc.assert(
      fc.property(fc.array(coord, { minLength: 1, maxLength: 30 }), frame, (coords, [width, height]) => {
        const fitted = fitBounds(coords.map(([lat, lon], i) => at(lat, lon, String(i))))!;
        const filled = fillFrame(fitted, width, height);
        // Only ever grown, never shrunk: the fleet's box stays inside.
        expect(filled.west).toBeLessThanOrEqual(fitted.west + 1e-9);
        expect(filled.east).toBeGreaterThanOrEqual(fitted.east - 1e-9);
        expect(filled.south).toBeLessThanOrEqual(fitted.south + 1e-9);
        expect(filled.north).toBeGreaterThanOrEqual(fitted.north - 1e-9);
        const project = projector(filled, width, height);
        for (const [lat, lon] of coords) {
          const { x, y } = project(lat, lon);
          expect(x).toBeGreaterThanOrEqual(-1e-6);
          expect(x).toBeLessThanOrEqual(width + 1e-6);
          expect(y).toBeGreaterThanOrEqual(-1e-6);
          expect(y).toBeLessThanOrEqual(height + 1e-6);
        }
        // Unless the world's edge stopped the growth, the corners land on the frame's corners: no letterbox.
        const clipped = filled.west <= -180 || filled.east >= 180 || filled.south <= -90 || filled.north >= 90;
        if (!clipped) {
          const nw = project(filled.north, filled.west);
          const se = project(filled.south, filled.east);
          expect(nw.x).toBeCloseTo(0, 6);
          expect(nw.y).toBeCloseTo(0, 6);
          expect(se.x).toBeCloseTo(width, 6);
          expect(se.y).toBeCloseTo(height, 6);
        }
      }),
    );
  });

  it('fillFrame: a fleet around Seattle in a 16:9 frame fills all of it', () => {
    const fitted = fitBounds([at(47.55, -122.4), at(47.64, -122.3)])!;
    const filled = fillFrame(fitted, 1600, 900);
    expect(filled.south).toBeCloseTo(fitted.south, 9);
    expect(filled.east - filled.west).toBeGreaterThan(fitted.east - fitted.west);
    const project = projector(filled, 1600, 900);
    expect(project(filled.south, filled.east).x).toBeCloseTo(1600, 6);
  });

  it('battery colours: low, medium, good, unknown', () => {
    expect(new Set([batteryColor(0.1), batteryColor(0.3), batteryColor(0.8), batteryColor(undefined)]).size).toBe(4);
  });
});

describe('RateTracker', () => {
  it('rates from successive totals; the first sample and counter resets give none', () => {
    const t = new RateTracker();
    expect(t.add({ at: 0, enqueued: 100, processed: 90 })).toBeUndefined();
    expect(t.add({ at: 2_000, enqueued: 300, processed: 250 })).toEqual({ at: 2_000, inPerSecond: 100, processedPerSecond: 80 });
    expect(t.add({ at: 3_000, enqueued: 5, processed: 5 })).toBeUndefined();
    expect(t.add({ at: 4_000, enqueued: 15, processed: 10 })).toEqual({ at: 4_000, inPerSecond: 10, processedPerSecond: 5 });
    expect(t.rates()).toHaveLength(2);
  });
});
