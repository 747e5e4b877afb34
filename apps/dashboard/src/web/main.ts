import { ApiClient, ApiError, loadConfig } from './api-client';
import { byId, fill, h } from './dom';
import { renderMap, type ColorBy } from './map-view';
import { renderBreaker, renderDeadLetters, renderDevice, renderLegend, renderPartitions, renderStats } from './panels';
import { RateTracker } from './rates';
import { RATES_WINDOW_MS, renderRates } from './rates-chart';
import { formatUtc } from './time-format';
import type { Device, OpsSummary } from './types';

/** A full device reload this often (ms); in between, only devices updated since the last poll. */
const FULL_RELOAD_MS = 60_000;
/** Overlap for incremental polls (ms), covering clock skew between writers and Cosmos. */
const SINCE_OVERLAP_MS = 5_000;

interface State {
  devices: Map<string, Device>;
  lastFullLoad: number;
  newestUpdate: string | undefined;
  selected: string | undefined;
  selectedDevice: Device | null | undefined;
  colorBy: ColorBy;
  summary: OpsSummary | undefined;
}

async function start(): Promise<void> {
  // The static site in Azure Storage cannot send frame-ancestors (serve.ts does locally): framed
  // by another page, it renders nothing rather than something a framing site could dress up.
  if (window.top !== window.self) {
    document.body.textContent = 'This dashboard cannot be shown inside another page. Open it directly.';
    return;
  }
  const config = await loadConfig();
  const api = new ApiClient(config);
  // One rate per poll: keep as many as the chart's window holds.
  const rates = new RateTracker(Math.ceil(RATES_WINDOW_MS / config.refreshMs) + 1);
  const state: State = { devices: new Map(), lastFullLoad: 0, newestUpdate: undefined, selected: undefined, selectedDevice: undefined, colorBy: 'battery', summary: undefined };
  const map = byId('map') as unknown as SVGSVGElement;
  const ratesChart = byId('rates') as unknown as SVGSVGElement;

  const select = (id: string) => {
    state.selected = id;
    state.selectedDevice = undefined;
    renderDevice(byId('device'), undefined, id);
    drawMap();
    void loadSelected();
  };
  const drawMap = () => {
    renderMap(map, [...state.devices.values()], state.colorBy, state.selected, select);
    renderLegend(byId('legend'), state.colorBy);
  };
  const loadSelected = async () => {
    if (!state.selected) return;
    try {
      state.selectedDevice = await api.device(state.selected);
      renderDevice(byId('device'), state.selectedDevice, state.selected);
    } catch {
      // The banner already reports the store; keep the last known detail.
    }
  };
  // Both drawings are laid out in the element's own pixels (labels stay 11-12 px on any screen): redraw on resize.
  const resized = new ResizeObserver(() => {
    drawMap();
    renderRates(ratesChart, rates.rates());
  });
  for (const el of [map.parentElement, ratesChart.parentElement]) if (el) resized.observe(el);
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name=colorBy]')) {
    input.addEventListener('change', () => {
      state.colorBy = input.value === 'flightMode' ? 'flightMode' : 'battery';
      drawMap();
    });
  }
  const tick = async () => {
    const errors: string[] = [];
    try {
      const summary = await api.summary();
      state.summary = summary;
      const hub = summary.eventHub.status === 'ok' ? summary.eventHub.data : undefined;
      const rate = hub ? rates.add({ at: Date.parse(summary.generatedAt), enqueued: hub.enqueuedTotal, processed: hub.checkpointedTotal }) : undefined;
      renderStats(byId('stats'), summary, rate ?? rates.rates().at(-1), state.devices.size);
      renderPartitions(byId('partitions'), summary);
      renderDeadLetters(byId('dead-letters'), summary);
      renderBreaker(byId('breaker'), summary);
      renderRates(ratesChart, rates.rates());
      if (summary.devices.status === 'error') errors.push(`Device store (Cosmos DB) unavailable: ${summary.devices.message}`);
      if (summary.eventHub.status === 'error') errors.push(`Event Hubs or checkpoints unavailable: ${summary.eventHub.message}`);
      if (summary.deadLetters.status === 'error') errors.push(`Dead-letter queue unavailable: ${summary.deadLetters.message}`);
      if (summary.parked.status === 'error') errors.push(`Parking table unavailable: ${summary.parked.message}`);
      if (summary.breaker.status === 'error') errors.push(`Circuit breaker unreachable: ${summary.breaker.message}`);
    } catch (error) {
      errors.push(error instanceof ApiError && error.kind !== 'unavailable' ? `Status API unreachable (${error.message}). Showing the last known data.` : String(error instanceof Error ? error.message : error));
    }
    if (!errors.some((e) => e.startsWith('Status API'))) {
      try {
        const full = Date.now() - state.lastFullLoad > FULL_RELOAD_MS || state.newestUpdate === undefined;
        const since = full ? undefined : new Date(Date.parse(state.newestUpdate!) - SINCE_OVERLAP_MS).toISOString();
        const devices = await api.devices(since);
        if (full) {
          state.devices.clear();
          state.lastFullLoad = Date.now();
        }
        for (const d of devices) {
          state.devices.set(d.deviceId, d);
          if (!state.newestUpdate || d.updatedAt > state.newestUpdate) state.newestUpdate = d.updatedAt;
        }
        drawMap();
        void loadSelected();
      } catch (error) {
        const message = `Device store (Cosmos DB) unavailable: ${error instanceof Error ? error.message : String(error)}. Showing the last known positions.`;
        if (!errors.some((e) => e.startsWith('Device store'))) errors.push(message);
      }
    }
    render(errors, state);
  };

  const loop = async () => {
    await tick();
    setTimeout(() => void loop(), config.refreshMs);
  };
  void loop();
}

function render(errors: string[], state: State): void {
  const banner = byId('error-state');
  banner.hidden = errors.length === 0;
  fill(banner, h('strong', {}, 'Something is down'), h('ul', {}, ...errors.map((e) => h('li', {}, e))));
  const status = byId('live-status');
  status.className = errors.length === 0 ? 'pill ok' : 'pill error';
  status.textContent = `${errors.length === 0 ? 'Live' : 'Degraded'} · updated ${formatUtc(Date.now())}`;
  const count = state.summary?.devices.status === 'ok' ? state.summary.devices.data.count : state.devices.size;
  byId('empty-state').hidden = !(errors.length === 0 && count === 0 && state.devices.size === 0);
  byId('map-count').textContent = `${state.devices.size} drones`;
}

start().catch((error: unknown) => {
  const banner = byId('error-state');
  banner.hidden = false;
  banner.textContent = `The dashboard could not start: ${error instanceof Error ? error.message : String(error)}`;
});
