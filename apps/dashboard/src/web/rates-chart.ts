import { multiplesWithin, niceStep, timeTicks } from './axis';
import { s } from './dom';
import type { Rate } from './rates';
import { formatUtc } from './time-format';

/** The chart shows at most this much history (ms); main.ts keeps as many rates as fit in it. */
export const RATES_WINDOW_MS = 5 * 60_000;
/** A fresh page still gets a readable axis: at least this span (ms), the line growing from the right. */
const MIN_SPAN_MS = 30_000;
const LABEL_PX = 11;
const CHAR_PX = LABEL_PX * 0.62;
const TOP = 8;
const RIGHT = 10;
const BOTTOM = 22;

/**
 * Events in/s and processed/s over time, at the element's pixel size: a UTC time axis (ticks at
 * round times, labelled by formatUtc like every time on the page) and an events/s axis from 0.
 */
export function renderRates(svg: SVGSVGElement, rates: readonly Rate[], now: number = Date.now()): void {
  const box = svg.getBoundingClientRect();
  const width = Math.max(Math.round(box.width), 200);
  const height = Math.max(Math.round(box.height), 100);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const last = rates.at(-1);
  if (rates.length < 2 || !last) return void svg.append(s('text', { x: 8, y: height / 2, class: 'chart-note' }, 'collecting…'));

  const to = last.at;
  const from = Math.min(Math.max(rates[0]!.at, to - RATES_WINDOW_MS), to - MIN_SPAN_MS);
  const shown = rates.filter((r) => r.at >= from);
  const peak = Math.max(...shown.flatMap((r) => [r.inPerSecond, r.processedPerSecond]), 0);
  const yStep = niceStep(Math.max(peak, 1) / 3);
  const yMax = Math.ceil(Math.max(peak, 1) / yStep - 1e-9) * yStep;
  const yTicks = multiplesWithin(0, yMax, yStep);
  const yLabels = yTicks.map((v) => `${Number(v.toFixed(3))}/s`);
  const left = Math.ceil(Math.max(...yLabels.map((l) => l.length)) * CHAR_PX) + 12;
  const plotWidth = width - left - RIGHT;
  const plotHeight = height - TOP - BOTTOM;
  const x = (t: number) => ((t - from) / (to - from)) * plotWidth;
  const y = (v: number) => plotHeight - (v / yMax) * plotHeight;

  // As many time labels as fit side by side with a gap (a date makes a label longer: see formatUtc).
  const widest = formatUtc(from, now).length * CHAR_PX;
  const xTicks = timeTicks(from, to, Math.floor(plotWidth / (widest + 24)));

  const chart = s('g', { transform: `translate(${left} ${TOP})` });
  const grid = s('g', { class: 'chart-grid' });
  const axes = s('g', { class: 'chart-axis' });
  yTicks.forEach((v, i) => {
    grid.append(s('line', { x1: 0, x2: plotWidth, y1: y(v).toFixed(1), y2: y(v).toFixed(1) }));
    axes.append(s('text', { x: -6, y: y(v).toFixed(1), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'y-tick' }, yLabels[i]!));
  });
  for (const t of xTicks) {
    const at = x(t);
    const half = (formatUtc(t, now).length * CHAR_PX) / 2;
    grid.append(s('line', { x1: at.toFixed(1), x2: at.toFixed(1), y1: 0, y2: plotHeight }));
    // A label that would leave the chart is dropped rather than clipped.
    if (left + at - half < 0 || left + at + half > width) continue;
    axes.append(s('text', { x: at.toFixed(1), y: plotHeight + 16, 'text-anchor': 'middle', class: 'x-tick', 'data-testid': 'rates-time-tick' }, formatUtc(t, now)));
  }
  const line = (pick: (r: Rate) => number) => shown.map((r) => `${x(r.at).toFixed(1)},${y(pick(r)).toFixed(1)}`).join(' ');
  chart.append(
    grid,
    s('polyline', { points: line((r) => r.inPerSecond), class: 'series in' }),
    s('polyline', { points: line((r) => r.processedPerSecond), class: 'series processed' }),
    axes,
  );
  svg.append(chart);
}
