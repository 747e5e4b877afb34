import { s } from './dom';
import { batteryColor, fitBounds, flightModeColor, projector } from './plot';
import type { Device } from './types';

export type ColorBy = 'battery' | 'flightMode';
const WIDTH = 800;
const HEIGHT = 480;

/** The fleet on an SVG plot of latitude/longitude (no tiles: nothing is fetched). */
export function renderMap(svg: SVGSVGElement, devices: readonly Device[], colorBy: ColorBy, selected: string | undefined, onSelect: (id: string) => void): void {
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.replaceChildren();
  const bounds = fitBounds(devices);
  if (!bounds) return;
  const project = projector(bounds, WIDTH, HEIGHT);
  const grid = s('g', { class: 'graticule' });
  const step = niceStep(Math.max(bounds.north - bounds.south, bounds.east - bounds.west) / 6);
  for (let lat = Math.ceil(bounds.south / step) * step; lat <= bounds.north; lat += step) {
    const a = project(lat, bounds.west);
    const b = project(lat, bounds.east);
    grid.append(s('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y }), s('text', { x: a.x + 4, y: a.y - 3 }, `${round(lat)}°`));
  }
  for (let lon = Math.ceil(bounds.west / step) * step; lon <= bounds.east; lon += step) {
    const a = project(bounds.north, lon);
    const b = project(bounds.south, lon);
    grid.append(s('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y }), s('text', { x: b.x + 3, y: b.y - 4 }, `${round(lon)}°`));
  }
  svg.append(grid);
  const dots = s('g', { class: 'devices' });
  for (const d of devices) {
    if (!d.position) continue;
    const { x, y } = project(d.position.latitude, d.position.longitude);
    const fillColor = colorBy === 'battery' ? batteryColor(d.battery) : flightModeColor(d.flightMode);
    const dot = s(
      'circle',
      { cx: x.toFixed(1), cy: y.toFixed(1), r: d.deviceId === selected ? 9 : 6, fill: fillColor, class: d.deviceId === selected ? 'device selected' : 'device', 'data-device-id': d.deviceId, tabindex: 0, role: 'button', 'aria-label': d.deviceId },
      s('title', {}, `${d.deviceId}${d.battery !== undefined ? ` · battery ${Math.round(d.battery * 100)}%` : ''}`),
    );
    dot.addEventListener('click', () => onSelect(d.deviceId));
    dot.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') onSelect(d.deviceId);
    });
    dots.append(dot);
  }
  svg.append(dots);
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-6)));
  const n = raw / power;
  return (n < 1.5 ? 1 : n < 3.5 ? 2 : n < 7.5 ? 5 : 10) * power;
}

const round = (x: number) => Number(x.toFixed(4));
