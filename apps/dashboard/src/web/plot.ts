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
 * Equirectangular projection into a width x height box, with longitude scaled by cos(mid latitude)
 * so distances look right at the fleet's latitude; the frame keeps that aspect (letterboxed).
 */
export function projector(bounds: Bounds, width: number, height: number): (lat: number, lon: number) => { x: number; y: number } {
  const midLat = ((bounds.north + bounds.south) / 2) * (Math.PI / 180);
  const kx = Math.max(Math.cos(midLat), 0.05);
  const spanX = (bounds.east - bounds.west) * kx;
  const spanY = bounds.north - bounds.south;
  const scale = Math.min(width / spanX, height / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  return (lat, lon) => ({ x: offX + (lon - bounds.west) * kx * scale, y: offY + (bounds.north - lat) * scale });
}

/** The wire contract numbers flight modes 0..7 without naming them; the legend shows the numbers. */
export const FLIGHT_MODE_COUNT = 8;
const MODE_COLORS = ['#7f8c8d', '#2980b9', '#8e44ad', '#27ae60', '#d35400', '#16a085', '#c0392b', '#b7950b'];

export function batteryColor(battery: number | undefined): string {
  if (battery === undefined) return '#95a5a6';
  if (battery < 0.2) return '#c0392b';
  if (battery < 0.5) return '#e67e22';
  return '#27ae60';
}

export function flightModeColor(mode: number | undefined): string {
  return mode === undefined ? '#95a5a6' : (MODE_COLORS[mode] ?? '#95a5a6');
}
