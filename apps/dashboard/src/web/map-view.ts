import { decimalsFor, multiplesWithin, niceStep } from './axis';
import { s } from './dom';
import { batteryColor, fillFrame, fitBounds, flightModeColor, projector } from './plot';
import type { Device } from './types';

export type ColorBy = 'battery' | 'flightMode';

/** Label font size (px, styles.css `.graticule text`) and a generous width per character for it. */
const LABEL_PX = 12;
const CHAR_PX = LABEL_PX * 0.62;
/** Room around the frame (px): latitude labels sit left of it, longitude labels below, never on a line. */
const TOP = 10;
const RIGHT = 6;
const BOTTOM = 26;
/** Grid lines at least this far apart (px), so labels never crowd. */
const MIN_GAP_Y = 56;
const MIN_GAP_X = 110;

/**
 * The fleet on an SVG map of latitude/longitude drawn at the element's own pixel size (no tiles:
 * nothing is fetched). The frame fills the panel: the fleet's box is widened to the frame's aspect
 * rather than letterboxed. Dots shrink as the fleet grows, the selected one is drawn last (on top).
 */
export function renderMap(svg: SVGSVGElement, devices: readonly Device[], colorBy: ColorBy, selected: string | undefined, onSelect: (id: string) => void): void {
  const box = svg.getBoundingClientRect();
  const width = Math.max(Math.round(box.width), 200);
  const height = Math.max(Math.round(box.height), 150);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const bounds = fitBounds(devices);
  if (!bounds) return;

  // Two passes: the gutter fits the latitude labels, which depend on the scale, which depends on the gutter.
  let left = 64;
  let layout = graticule(bounds, width - left - RIGHT, height - TOP - BOTTOM);
  left = Math.ceil(labelWidth(svg, layout.lats.map((t) => t.label))) + 12;
  layout = graticule(bounds, width - left - RIGHT, height - TOP - BOTTOM);
  const { project, lats, lons, plotWidth, plotHeight } = layout;

  const frame = s('g', { transform: `translate(${left} ${TOP})` });
  frame.append(s('rect', { class: 'frame', 'data-testid': 'map-frame', x: 0, y: 0, width: plotWidth, height: plotHeight }));
  const lines = s('g', { class: 'graticule' });
  for (const t of lats) lines.append(s('line', { x1: 0, x2: plotWidth, y1: t.at.toFixed(1), y2: t.at.toFixed(1) }));
  for (const t of lons) lines.append(s('line', { x1: t.at.toFixed(1), x2: t.at.toFixed(1), y1: 0, y2: plotHeight }));
  frame.append(lines);
  const labels = s('g', { class: 'graticule-labels' });
  for (const t of lats) labels.append(s('text', { x: -8, y: t.at.toFixed(1), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, t.label));
  for (const t of lons) {
    const half = (t.label.length * CHAR_PX) / 2;
    // A label that would leave the drawing is dropped rather than clipped.
    if (left + t.at - half < 0 || left + t.at + half > width) continue;
    labels.append(s('text', { x: t.at.toFixed(1), y: plotHeight + 18, 'text-anchor': 'middle' }, t.label));
  }
  frame.append(labels);

  const placed = devices.filter((d) => d.position);
  const radius = placed.length <= 50 ? 6 : placed.length <= 300 ? 4.5 : placed.length <= 2_000 ? 3 : 2;
  const dots = s('g', { class: placed.length > 300 ? 'devices dense' : 'devices' });
  const ordered = [...placed.filter((d) => d.deviceId !== selected), ...placed.filter((d) => d.deviceId === selected)];
  for (const d of ordered) {
    const { x, y } = project(d.position!.latitude, d.position!.longitude);
    const isSelected = d.deviceId === selected;
    const fillColor = colorBy === 'battery' ? batteryColor(d.battery) : flightModeColor(d.flightMode);
    const dot = s(
      'circle',
      { cx: x.toFixed(1), cy: y.toFixed(1), r: isSelected ? Math.max(radius + 3, 8) : radius, fill: fillColor, class: isSelected ? 'device selected' : 'device', 'data-device-id': d.deviceId, tabindex: 0, role: 'button', 'aria-label': d.deviceId },
      s('title', {}, `${d.deviceId}${d.battery !== undefined ? ` · battery ${Math.round(d.battery * 100)}%` : ''}`),
    );
    dot.addEventListener('click', () => onSelect(d.deviceId));
    dot.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') onSelect(d.deviceId);
    });
    dots.append(dot);
  }
  frame.append(dots);
  svg.append(frame);
}

/** The widest of these labels as the page draws them (px); an estimate where nothing is laid out. */
function labelWidth(svg: SVGSVGElement, labels: readonly string[]): number {
  const estimate = Math.max(...labels.map((l) => l.length), 4) * CHAR_PX;
  const probe = s('g', { class: 'graticule-labels', visibility: 'hidden' }, ...labels.map((l) => s('text', {}, l)));
  svg.append(probe);
  const measured = Math.max(0, ...[...probe.querySelectorAll('text')].map((t) => t.getComputedTextLength()));
  probe.remove();
  return measured > 0 ? measured : estimate;
}

interface Tick {
  /** Position along the axis inside the frame (px). */
  at: number;
  label: string;
}

/** The frame's projection and its grid: one step per axis, each at least MIN_GAP px apart. */
function graticule(bounds: NonNullable<ReturnType<typeof fitBounds>>, plotWidth: number, plotHeight: number) {
  const frame = fillFrame(bounds, plotWidth, plotHeight);
  const project = projector(frame, plotWidth, plotHeight);
  const latStep = niceStep(MIN_GAP_Y / project.pxPerDegreeLat);
  const lonStep = niceStep(MIN_GAP_X / project.pxPerDegreeLon);
  const lats = multiplesWithin(frame.south, frame.north, latStep).map((lat) => ({ at: project(lat, frame.west).y, label: degrees(lat, decimalsFor(latStep), 'N', 'S') }));
  const lons = multiplesWithin(frame.west, frame.east, lonStep).map((lon) => ({ at: project(frame.south, lon).x, label: degrees(lon, decimalsFor(lonStep), 'E', 'W') }));
  return { project, lats: lats satisfies Tick[], lons: lons satisfies Tick[], plotWidth, plotHeight };
}

/** 47.62°N, 122.35°W, 0° */
function degrees(value: number, decimals: number, positive: string, negative: string): string {
  const text = Math.abs(value).toFixed(decimals);
  return Number(text) === 0 ? `${text}°` : `${text}°${value > 0 ? positive : negative}`;
}
