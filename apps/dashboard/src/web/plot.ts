import type { Device } from './types';

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * The box around the devices with positions, padded by 10% (at least 0.01 degrees, so one device
 * or a tight cluster still gets a readable frame). undefined when no device has a position.
 */
export function fitBounds(devices: readonly Device[]): Bounds | undefined {
  const placed = devices.filter((d) => d.position);
  if (placed.length === 0) return undefined;
  const lats = placed.map((d) => d.position!.latitude);
  const lons = placed.map((d) => d.position!.longitude);
  let [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const padLat = Math.max((north - south) * 0.1, 0.01);
  const padLon = Math.max((east - west) * 0.1, 0.01);
  south = Math.max(-90, south - padLat);
  north = Math.min(90, north + padLat);
  west = Math.max(-180, west - padLon);
  east = Math.min(180, east + padLon);
  return { west, south, east, north };
}

/**
 * `bounds` widened (or heightened) about its centre until, drawn by `projector`, it has the frame's
 * aspect: the map then fills the whole frame instead of a letterboxed strip. Kept within the world
 * (a range pushed past a pole or the antimeridian is shifted back, then clipped: only then does
 * `projector` letterbox what is left).
 */
export function fillFrame(bounds: Bounds, width: number, height: number): Bounds {
  const kx = lonScale(bounds);
  const spanX = (bounds.east - bounds.west) * kx;
  const spanY = bounds.north - bounds.south;
  const aspect = width / height;
  if (spanX / spanY < aspect) {
    const [west, east] = widen(bounds.west, bounds.east, (aspect * spanY) / kx, -180, 180);
    return { ...bounds, west, east };
  }
  const [south, north] = widen(bounds.south, bounds.north, spanX / aspect, -90, 90);
  return { ...bounds, south, north };
}

/** [lo, hi] grown about its centre to `span`, shifted back inside [min, max], clipped to it. */
function widen(lo: number, hi: number, span: number, min: number, max: number): [number, number] {
  const centre = (lo + hi) / 2;
  let a = centre - span / 2;
  let b = centre + span / 2;
  if (a < min) [a, b] = [min, b + (min - a)];
  if (b > max) [a, b] = [a - (b - max), max];
  return [Math.max(min, a), Math.min(max, b)];
}

/** Degrees of longitude shrink by cos(latitude): the scale at the frame's middle latitude. */
function lonScale(bounds: Bounds): number {
  return Math.max(Math.cos(((bounds.north + bounds.south) / 2) * (Math.PI / 180)), 0.05);
}

/**
 * Equirectangular projection into a width x height box, with longitude scaled by cos(mid latitude)
 * so distances look right at the fleet's latitude; the frame keeps that aspect (letterboxed).
 */
export function projector(bounds: Bounds, width: number, height: number): Projection {
  const kx = lonScale(bounds);
  const spanX = (bounds.east - bounds.west) * kx;
  const spanY = bounds.north - bounds.south;
  const scale = Math.min(width / spanX, height / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  const project = (lat: number, lon: number) => ({ x: offX + (lon - bounds.west) * kx * scale, y: offY + (bounds.north - lat) * scale });
  return Object.assign(project, { pxPerDegreeLat: scale, pxPerDegreeLon: scale * kx });
}

/** lat/lon -> x/y in the frame, with the scale along each axis (px per degree). */
export type Projection = ((lat: number, lon: number) => { x: number; y: number }) & { pxPerDegreeLat: number; pxPerDegreeLon: number };

/** The wire contract numbers flight modes 0..7 without naming them; the legend shows the numbers. */
export const FLIGHT_MODE_COUNT = 8;
// Bright enough to read on the dark map in a dimmed room; battery uses the page's state colours.
const MODE_COLORS = ['#c9d1d9', '#58a6ff', '#bc8cff', '#3fb950', '#f0883e', '#39c5cf', '#ff7b72', '#e3b341'];
const UNKNOWN = '#6e7681';

export function batteryColor(battery: number | undefined): string {
  if (battery === undefined) return UNKNOWN;
  if (battery < 0.2) return '#ff6b61';
  if (battery < 0.5) return '#e3a008';
  return '#3fb950';
}

export function flightModeColor(mode: number | undefined): string {
  return mode === undefined ? UNKNOWN : (MODE_COLORS[mode] ?? UNKNOWN);
}
