import { fill, h } from './dom';
import { FLIGHT_MODE_COUNT, batteryColor, flightModeColor } from './plot';
import type { Rate } from './rates';
import { formatUtc } from './time-format';
import type { Device, OpsSummary, Probe } from './types';
import type { ColorBy } from './map-view';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** Seconds as `1h 5m` / `42s` (negative: already past the retention). */
const span = (seconds: number) => {
  const a = Math.abs(Math.round(seconds));
  const text = a >= 3600 ? `${Math.floor(a / 3600)}h ${Math.floor((a % 3600) / 60)}m` : a >= 60 ? `${Math.floor(a / 60)}m ${a % 60}s` : `${a}s`;
  return seconds < 0 ? `lost (${text} ago)` : text;
};

/** A probe's state as text for panels that are not configured or failing. */
function probeNote<T>(probe: Probe<T>): HTMLElement | undefined {
  if (probe.status === 'ok') return undefined;
  return h('p', { class: probe.status === 'error' ? 'note error' : 'note' }, probe.status === 'error' ? `Unavailable: ${probe.message}` : `Not configured (${probe.message}).`);
}

export function renderStats(el: HTMLElement, summary: OpsSummary, rate: Rate | undefined, mapCount: number): void {
  const hub = summary.eventHub.status === 'ok' ? summary.eventHub.data : undefined;
  const dlq = summary.deadLetters.status === 'ok' ? summary.deadLetters.data : undefined;
  const parked = summary.parked.status === 'ok' ? summary.parked.data : undefined;
  const devices = summary.devices.status === 'ok' ? summary.devices.data.count : undefined;
  // A card needing attention is tinted (warn) so it reads across a room; its value stays the text.
  const card = (testid: string, label: string, value: string, hint: string, warn = false) =>
    h('div', { class: warn ? 'card warn' : 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value', 'data-testid': testid }, value), h('div', { class: 'hint' }, hint));
  fill(
    el,
    card('device-count', 'Devices', devices === undefined ? '—' : fmt(devices), `documents in Cosmos DB (${fmt(mapCount)} on the map)`),
    card('rate-in', 'Events in /s', rate ? fmt(rate.inPerSecond, 1) : '—', 'enqueued on the hub, between the last two polls'),
    card('rate-processed', 'Processed /s', rate ? fmt(rate.processedPerSecond, 1) : '—', 'checkpointed by ingestion (applied or dead-lettered)'),
    card('enqueued-total', 'Enqueued', hub ? fmt(hub.enqueuedTotal) : '—', 'events on the hub (sum of last sequence numbers + 1)'),
    card('processed-total', 'Processed', hub ? fmt(hub.checkpointedTotal) : '—', `checkpointed by consumer group ${hub?.consumerGroup ?? '—'}`),
    card('lag-total', 'Lag', hub ? fmt(hub.lagTotal) : '—', hub && hub.lagTotal === 0 ? 'input = output: all events processed' : 'events not yet processed', (hub?.lagTotal ?? 0) > 0),
    card('dead-letter-depth', 'Dead letters', dlq ? fmt(dlq.depth) : '—', 'messages waiting in the dead-letter queue', (dlq?.depth ?? 0) > 0),
    card('parked-count', 'Parked', parked ? `${fmt(parked.count)}${parked.capped ? '+' : ''}` : summary.parked.status === 'not-configured' ? 'n/a' : '—', parked && parked.count > 0 ? Object.entries(parked.byCode).map(([c, n]) => `${c} ${fmt(n)}`).join(' · ') : 'dead letters the reprocessor parked', (parked?.count ?? 0) > 0),
  );
}

export function renderPartitions(el: HTMLElement, summary: OpsSummary): void {
  const note = probeNote(summary.eventHub);
  if (note || summary.eventHub.status !== 'ok') return fill(el, note);
  const { partitions, eventHubName, consumerGroup, retentionHours } = summary.eventHub.data;
  const maxLag = Math.max(1, ...partitions.map((p) => p.lag));
  // Red at the deployed alert's default margin (infra: min(retention / 2, 12 h)), amber while anything is behind.
  const marginSeconds = retentionHours ? Math.min(retentionHours / 2, 12) * 3600 : undefined;
  const lossTone = (p: (typeof partitions)[number]) =>
    p.staleCheckpoint ? 'warn' : typeof p.timeToDataLossSeconds !== 'number' ? '' : marginSeconds !== undefined && p.timeToDataLossSeconds < marginSeconds ? 'bad' : 'warn';
  fill(
    el,
    h('p', { class: 'hint' }, `Hub ${eventHubName}, consumer group ${consumerGroup}. Lag = last enqueued sequence number − checkpoint.`
      + (retentionHours ? ` Time to data loss = retention (${fmt(retentionHours, 1)} h) − age of the oldest unprocessed event; red below ${fmt(marginSeconds! / 3600, 1)} h (the alert's default margin).` : '')),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Partition'), h('th', {}, 'Last enqueued'), h('th', {}, 'Checkpoint'), h('th', {}, 'Lag'), h('th', {}, 'Oldest unprocessed'), h('th', {}, 'Time to data loss'), h('th', {}, ''))),
      h(
        'tbody',
        {},
        ...partitions.map((p) =>
          h(
            'tr',
            { 'data-partition': p.partitionId },
            h('td', {}, p.partitionId),
            h('td', {}, p.lastEnqueuedSequenceNumber < 0 ? 'empty' : fmt(p.lastEnqueuedSequenceNumber)),
            h('td', {}, p.checkpointSequenceNumber === null ? 'none' : fmt(p.checkpointSequenceNumber)),
            h('td', { 'data-testid': `lag-${p.partitionId}` }, fmt(p.lag)),
            h('td', { 'data-testid': `lag-age-${p.partitionId}` }, p.oldestUnprocessedAgeSeconds === undefined ? '—' : span(p.oldestUnprocessedAgeSeconds)),
            h('td', { 'data-testid': `data-loss-${p.partitionId}`, class: lossTone(p) },
              p.staleCheckpoint ? 'stale checkpoint' : p.timeToDataLossSeconds === null || p.timeToDataLossSeconds === undefined ? '—' : span(p.timeToDataLossSeconds)),
            h('td', { class: 'bar-cell' }, h('span', { class: p.lag > 0 ? 'bar warn' : 'bar', style: `width:${Math.round((p.lag / maxLag) * 100)}%` })),
          ),
        ),
      ),
    ),
  );
}

export function renderDeadLetters(el: HTMLElement, summary: OpsSummary): void {
  const note = probeNote(summary.deadLetters);
  if (note || summary.deadLetters.status !== 'ok') return fill(el, note);
  const { byCode, depth, sampled, queue, oldestFailedAt } = summary.deadLetters.data;
  const codes = Object.entries(byCode).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...codes.map(([, n]) => n));
  fill(
    el,
    h('p', { class: 'hint' }, depth === 0 ? `Queue ${queue} is empty.` : `Queue ${queue}: ${fmt(depth)} waiting; by code from ${sampled === depth ? 'all of them' : `the oldest ${sampled} (a queue can only be peeked 32 at a time)`}. Oldest failed ${formatUtc(oldestFailedAt)}.`),
    codes.length === 0
      ? null
      : h(
          'table',
          {},
          h(
            'tbody',
            {},
            ...codes.map(([code, n]) =>
              h('tr', {}, h('td', { class: 'code' }, code), h('td', { 'data-testid': `dlq-code-${code}` }, fmt(n)), h('td', { class: 'bar-cell' }, h('span', { class: 'bar bad', style: `width:${Math.round((n / max) * 100)}%` }))),
            ),
          ),
        ),
  );
}

/** Only an http(s) page may become a link (never `javascript:` or `data:`), whatever the summary says. */
function safeLink(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const SWITCH_TEXT: Record<string, string> = { ok: 'switch ok', switching: 'switching…', failing: 'switch failing' };

/**
 * The breaker's state, its switch, and a way to resume: a link to the breaker's own approval page
 * (the operator uses the link they were sent there, or signs in). The dashboard holds no resume
 * authority and changes nothing itself.
 */
export function renderBreaker(el: HTMLElement, summary: OpsSummary): void {
  // The whole panel takes the state's colour (styles.css), readable from across the room.
  el.closest('.panel')?.setAttribute('data-breaker', summary.breaker.status === 'ok' ? summary.breaker.data.state : 'unknown');
  const note = probeNote(summary.breaker);
  if (note || summary.breaker.status !== 'ok') return fill(el, h('div', { 'data-testid': 'breaker-state', class: 'state unknown' }, summary.breaker.status === 'error' ? 'unknown' : 'n/a'), note);
  const b = summary.breaker.data;
  const page = b.canResume ? safeLink(b.approvalPage) : undefined;
  const sw = b.switch;
  fill(
    el,
    h('div', { 'data-testid': 'breaker-state', class: `state ${b.state}` }, b.state),
    // A breaker that never tripped reports the start of time (its initial state): said as such.
    h('p', { class: 'hint' }, b.since === null || Date.parse(b.since) <= 0 ? 'never tripped' : `since ${formatUtc(b.since)}${b.reason ? ` · ${b.reason}` : ''}`),
    sw
      ? h('p', { 'data-testid': 'breaker-switch', class: sw.state === 'failing' ? 'error' : 'hint' },
        `${SWITCH_TEXT[sw.state] ?? sw.state} (ingestion ${sw.target === 'paused' ? 'to pause' : 'to run'}${sw.attempts ? `, ${sw.attempts} failed tries` : ''}${sw.lastError ? `, ${sw.lastError}` : ''}${sw.nextAttemptAt ? `, next try ${formatUtc(sw.nextAttemptAt)}` : ''})`)
      : false,
    page
      ? h('a', { 'data-testid': 'resume', class: 'button', href: page, target: '_blank', rel: 'noopener noreferrer', title: 'Opens the breaker’s approval page: approve there with the link you were sent, or signed in' }, 'Resume processing…')
      : b.state === 'closed'
        ? false // ingestion runs: nothing to resume
        : h('button', { type: 'button', 'data-testid': 'resume', disabled: true, title: 'The breaker offers no approval now' }, 'Resume processing…'),
    h('ol', { class: 'history' }, ...b.history.map((t) => h('li', {}, h('span', { class: `dot ${t.state}` }), `${t.state} · ${formatUtc(t.at)}${t.reason ? ` · ${t.reason}` : ''}${t.by ? ` (${t.by})` : ''}`))),
  );
}

export function renderLegend(el: HTMLElement, colorBy: ColorBy): void {
  const item = (color: string, label: string) => h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background:${color}` }), label);
  if (colorBy === 'battery') return fill(el, item(batteryColor(0.1), '< 20%'), item(batteryColor(0.3), '20–50%'), item(batteryColor(0.9), '≥ 50%'), item(batteryColor(undefined), 'unknown'));
  fill(el, ...Array.from({ length: FLIGHT_MODE_COUNT }, (_, m) => item(flightModeColor(m), `mode ${m}`)), item(flightModeColor(undefined), 'unknown'));
}

export function renderDevice(el: HTMLElement, device: Device | null | undefined, id: string | undefined): void {
  if (!id) return fill(el, h('p', { class: 'hint' }, 'Click a drone on the map to see its state.'));
  if (device === undefined) return fill(el, h('p', { class: 'hint' }, `Loading ${id}…`));
  if (device === null) return fill(el, h('p', { class: 'note' }, `${id}: not found.`));
  const row = (k: string, v: string) => h('tr', {}, h('th', {}, k), h('td', {}, v));
  const health = device.health;
  fill(
    el,
    h('h3', { 'data-testid': 'device-detail-id' }, device.deviceId),
    h(
      'table',
      { class: 'kv' },
      h(
        'tbody',
        {},
        row('Battery', device.battery === undefined ? '—' : `${fmt(device.battery * 100, 1)} %`),
        row('Flight mode', device.flightMode === undefined ? '—' : String(device.flightMode)),
        row('Position', device.position ? `${device.position.latitude.toFixed(5)}, ${device.position.longitude.toFixed(5)} · ${fmt(device.position.altitude)} m` : '—'),
        row('Health', health ? (['gyrometerOK', 'accelerometerOK', 'magnetometerOK'] as const).map((k) => `${k.replace('OK', '')} ${health[k] ? '✓' : '✗'}`).join(' · ') : '—'),
        row('Last event', formatUtc(device.lastEventTime)),
        row('Written', formatUtc(device.updatedAt)),
      ),
    ),
  );
}
