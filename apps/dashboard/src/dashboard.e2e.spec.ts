import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EventHubProducerClient } from '@azure/event-hubs';
import { launchChromium, type FaultProxy } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from '@telemetry/local-stack';
import { simulate } from '@telemetry/simulator';
import type { Browser, Page } from 'playwright-core';
import { buildDashboardFiles } from './build-dashboard';
import { serveDashboard, type DashboardServer } from './serve';
import { readWallLayout } from './testing/wall-layout';
import { UTC_TIME_PATTERN } from './web/time-format';

// Every run writes its screenshot under test-output/ (git-ignored); UPDATE_SCREENSHOT=1 refreshes
// the one the README shows (docs/dashboard.png).
const SCREENSHOT = process.env['UPDATE_SCREENSHOT']
  ? path.resolve(__dirname, '../../../docs/dashboard.png')
  : path.resolve(__dirname, '../../../test-output/dashboard.png');
const DEVICES = 12;
const EVENTS_PER_DEVICE = 5;
const BASE = Date.parse('2026-03-01T10:00:00Z');

/** The known set: 12 drones around Seattle, 5 events each; the last event sets the final state. */
function knownEvents(): { partitionKey: string; body: unknown }[] {
  const events: { partitionKey: string; body: unknown }[] = [];
  for (let d = 0; d < DEVICES; d++) {
    const deviceId = `drone-${String(d).padStart(2, '0')}`;
    for (let e = 0; e < EVENTS_PER_DEVICE; e++) {
      events.push({
        partitionKey: deviceId,
        body: {
          deviceId,
          timestamp: new Date(BASE + e * 1000).toISOString(),
          battery: Number((0.05 + (d / DEVICES) * 0.9 - e * 0.01).toFixed(3)),
          flightMode: d % 8,
          position: { latitude: 47.55 + (d % 4) * 0.03 + e * 0.001, longitude: -122.4 + Math.floor(d / 4) * 0.05 + e * 0.001, altitude: 100 + d * 5 },
          health: { gyrometerOK: true, accelerometerOK: d !== 3, magnetometerOK: true },
        },
      });
    }
  }
  return events;
}

/**
 * A stand-in for apps/circuit-breaker (a Durable Functions app the local host cannot run without
 * its plugin): its anonymous `GET /api/breaker/summary` while open, offering an approval whose
 * switch is failing (or, once `status` is set to closed, resumed by an operator with the switch
 * confirmed), and its approval page (`GET /api/breaker/approve`, which without the operator's
 * link or sign-in only says so). Every request is recorded.
 */
async function breakerStandIn() {
  const state = { status: 'open' as 'open' | 'closed', closedAt: '', requests: [] as string[] };
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    req.resume();
    req.on('end', () => {
      state.requests.push(`${req.method} ${req.url}${req.headers['x-functions-key'] ? ' with a key' : ''}`);
      if (req.method === 'GET' && req.url === '/api/breaker/summary') {
        const transitions = [
          { from: 'open', to: 'closed', at: '2026-03-01T09:00:00Z', by: 'operator', reason: 'by an operator', episode: 0 },
          { from: 'closed', to: 'open', at: '2026-03-01T09:58:00Z', by: 'monitor', reason: '120 failures in 30 s', episode: 1 },
          ...(state.status === 'closed' ? [{ from: 'open', to: 'closed', at: state.closedAt, by: 'operator', reason: 'resume approved', episode: 1 }] : []),
        ];
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify(state.status === 'open'
            ? {
                status: state.status, episode: 1, since: transitions.at(-1)!.at, transitions,
                approval: { expiresAt: '2099-01-01T00:00:00Z', page: `${base}/api/breaker/approve` },
                switch: { target: 'paused', state: 'failing', since: '2026-03-01T09:58:01Z', attempts: 3, lastError: 'UNKNOWN' },
              }
            : { status: state.status, episode: 1, since: state.closedAt, transitions, switch: { target: 'running', state: 'ok', since: state.closedAt } }),
        );
      } else if (req.method === 'GET' && req.url === '/api/breaker/approve') {
        res.writeHead(401, { 'content-type': 'text/html' }).end('<h1>Approval link or sign-in needed</h1>');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('dashboard in headless Chromium, on the whole local stack', () => {
  let dataDir: string;
  let stack: LocalStack;
  let proxy: FaultProxy;
  let breaker: Awaited<ReturnType<typeof breakerStandIn>>;
  let key: string;
  let dashboard: DashboardServer;
  let browser: Browser;
  let page: Page;

  const text = (testid: string) => page.getByTestId(testid).textContent({ timeout: 5_000 });
  const waitForText = (testid: string, expected: string, timeout = 60_000) =>
    page.waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === want, [testid, expected] as const, { timeout, polling: 200 });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-e2e-'));
    breaker = await breakerStandIn();
    // Assigned as each settles, so afterAll stops whatever started even if another part failed.
    let files: Awaited<ReturnType<typeof buildDashboardFiles>> | undefined;
    const started = await Promise.allSettled([
      launchChromium().then((x) => (browser = x)),
      startLocalStack({
        dataDir, apps: ['ingestion', 'device-status'], partitions: 2,
        // The test serves the dashboard itself (in process, fast refresh); the stack's own is not needed.
        dashboard: false,
        settingsOverrides: {
          // Ingestion keeps its default store timeouts; the API's are short enough for the outage to show
          // quickly, long enough that a loaded machine does not flash the error state.
          'device-status': {
            COSMOS_REQUEST_TIMEOUT_MS: '5000', COSMOS_CALL_TIMEOUT_MS: '5000', OPS_PROBE_TIMEOUT_MS: '8000',
            BREAKER_SUMMARY_URL: `${breaker.url}/api/breaker/summary`,
          },
        },
      }).then((x) => (stack = x)),
      buildDashboardFiles().then((x) => (files = x)),
    ]);
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    proxy = stack.cosmosProxy;
    key = stack.descriptor.apps['device-status']!.functionKey;
    dashboard = await serveDashboard({ apiBaseUrl: stack.hosts.get('device-status')!.baseUrl, functionKey: key, refreshMs: 500, files: files! });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Nothing may come from the internet: every request must stay on loopback.
    await page.route('**/*', (route) => (/^http:\/\/127\.0\.0\.1:/.test(route.request().url()) ? route.continue() : route.abort()));
    await page.goto(dashboard.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await stack?.stop();
    await breaker?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('before any telemetry: the empty state, the function key never reaches the page', async () => {
    await page.getByTestId('empty-state').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await text('device-count')).toBe('0');
    expect(await text('parked-count')).toBe('0');
    expect(await page.getByTestId('error-state').isHidden()).toBe(true);
    const config = await (await fetch(`${dashboard.url}config.json`)).text();
    expect(config).not.toContain(key);
  });

  it('after the known events: those drones on the map, matching counts, dead letters by code; click shows a drone', async () => {
    const producer = new EventHubProducerClient(stack.descriptor.eventHubs.connectionString, stack.descriptor.eventHubs.hubName);
    try {
      for (const e of knownEvents()) await producer.sendBatch([{ body: Buffer.from(JSON.stringify(e.body)) }], { partitionKey: e.partitionKey });
      // Three that cannot be applied: two malformed, one out of range.
      await producer.sendBatch([{ body: Buffer.from('{"deviceId":"drone-90",') }, { body: Buffer.from('not json') }], { partitionKey: 'drone-90' });
      await producer.sendBatch([{ body: Buffer.from(JSON.stringify({ deviceId: 'drone-91', timestamp: new Date(BASE).toISOString(), battery: 7 })) }], { partitionKey: 'drone-91' });
    } finally {
      await producer.close();
    }
    const total = String(DEVICES * EVENTS_PER_DEVICE + 3);
    await waitForText('device-count', String(DEVICES), 90_000);
    await waitForText('enqueued-total', total);
    await waitForText('processed-total', total);
    await waitForText('lag-total', '0');
    await waitForText('dead-letter-depth', '3');
    await waitForText('dlq-code-EVENT_MALFORMED', '2');
    await waitForText('dlq-code-EVENT_INVALID', '1');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map"] circle.device').length === n, DEVICES, { timeout: 60_000 });
    const onMap = await page.locator('[data-testid="map"] circle.device').evaluateAll((els) => els.map((e) => e.getAttribute('data-device-id')).sort());
    expect(onMap).toEqual(Array.from({ length: DEVICES }, (_, d) => `drone-${String(d).padStart(2, '0')}`));
    expect(await page.getByTestId('empty-state').isHidden()).toBe(true);

    await page.locator('circle[data-device-id="drone-07"]').click();
    await waitForText('device-detail-id', 'drone-07');
    // The newest of drone-07's events: battery 0.05 + 7/12*0.9 - 0.04 = 0.535 -> 53.5 %.
    await page.waitForFunction(() => document.querySelector('[data-testid="device-detail"]')?.textContent?.includes('53.5 %'), undefined, { timeout: 60_000 });

    expect(await text('breaker-state')).toBe('open');
  }, 300_000);

  it('a wall display: the map fills its panel, axes are readable, every time on the page in one UTC format (issue 18)', async () => {
    for (const viewport of [{ width: 1400, height: 1000 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(viewport);
      const wall = await readWallLayout(page);
      expectWallDisplay(wall, `${viewport.width}x${viewport.height}`);
    }
  }, 120_000);

  it('a Cosmos outage shows the error state, and it clears when Cosmos is back', async () => {
    proxy.setMode({ kind: 'down' });
    try {
      await page.getByTestId('error-state').waitFor({ state: 'visible', timeout: 60_000 });
      expect(await text('error-state')).toContain('Device store (Cosmos DB) unavailable');
      // The last known positions stay on the map.
      expect(await page.locator('[data-testid="map"] circle.device').count()).toBe(DEVICES);
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
    await page.getByTestId('error-state').waitFor({ state: 'hidden', timeout: 60_000 });
    expect(await text('device-count')).toBe(String(DEVICES));
  }, 180_000);

  it('resume sends the operator to the breaker’s approval page; the dashboard and device-status hold no resume authority (issue 13 items 6, 7, 9)', async () => {
    // The breaker's switch is failing: the dashboard says so.
    await page.waitForFunction(() => document.querySelector('[data-testid="breaker-switch"]')?.textContent?.startsWith('switch failing'), undefined, { timeout: 60_000 });
    const resume = page.getByTestId('resume');
    expect(await resume.getAttribute('href')).toBe(`${breaker.url}/api/breaker/approve`);
    const [approvalPage] = await Promise.all([page.context().waitForEvent('page'), resume.click()]);
    await approvalPage.waitForLoadState();
    expect(approvalPage.url()).toBe(`${breaker.url}/api/breaker/approve`);
    expect(await approvalPage.textContent('h1')).toBe('Approval link or sign-in needed');
    await approvalPage.close();
    // device-status only ever read the anonymous summary, with no key; nothing was submitted.
    expect(breaker.state.requests).toContain('GET /api/breaker/approve');
    expect(breaker.state.requests.filter((r) => !r.startsWith('GET ') || r.endsWith('with a key'))).toEqual([]);
    // Nothing writes through the dashboard's keyed proxy, not even from its own page (cross-site: serve.spec.ts).
    const status = await page.evaluate(async (url) => (await fetch(url, { method: 'POST' })).status, `${dashboard.url}api/ops/breaker/resume`);
    expect(status).toBe(405);
  }, 120_000);

  it('a fleet in flight (the simulator, 20 s at 30 events/s): every drone arrives, input = output; the wall checks hold; the screenshot', async () => {
    // The operator has resumed: the breaker stand-in now reports closed with its switch confirmed.
    breaker.state.closedAt = new Date().toISOString();
    breaker.state.status = 'closed';
    const { events } = await simulate({
      connectionString: stack.descriptor.eventHubs.connectionString, hubName: stack.descriptor.eventHubs.hubName,
      devices: 40, count: 600, rate: 30, keyFrameEvery: 10, corruptRatio: 0.01, duplicateRatio: 0, seed: 18,
    });
    const flown = new Set(events.filter((e) => e.kind === 'valid').map((e) => e.deviceId));
    await waitForText('device-count', String(DEVICES + flown.size), 120_000);
    const total = String(DEVICES * EVENTS_PER_DEVICE + 3 + events.length);
    await waitForText('enqueued-total', total);
    await waitForText('processed-total', total, 120_000);
    await waitForText('lag-total', '0');
    await waitForText('breaker-state', 'closed');
    // Ingestion runs: no resume control at all (a disabled one read as something to do).
    await page.waitForFunction(() => document.querySelector('[data-testid="resume"]') === null, undefined, { timeout: 30_000 });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map"] circle.device').length === n, DEVICES + flown.size, { timeout: 60_000 });
    expect(await page.getByTestId('error-state').isHidden()).toBe(true);

    await page.setViewportSize({ width: 1920, height: 1080 });
    const wall = await readWallLayout(page);
    expectWallDisplay(wall, '1920x1080 with the fleet');
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 300_000);
});

/**
 * Issue 18's wall-display checks on what the browser laid out:
 * - the map, and the frame it draws in, take >= 90 % of the map panel's content width;
 * - no grid label of the map touches a grid line; the throughput chart has a time axis of at least
 *   two labelled ticks, in the page's UTC format, in time order, evenly placed by time, not overlapping;
 * - every time on the page (text, titles, labels) is in that one format: once each formatted time is
 *   taken out, nothing that looks like a time or a date is left.
 */
function expectWallDisplay(wall: Awaited<ReturnType<typeof readWallLayout>>, where: string): void {
  const context = `${where}: ${JSON.stringify({ panel: wall.panelContentWidth, map: wall.mapWidth, frame: wall.frameWidth })}`;
  expect({ context, fills: wall.mapWidth / wall.panelContentWidth >= 0.9 }).toEqual({ context, fills: true });
  expect({ context, fills: wall.frameWidth / wall.panelContentWidth >= 0.9 }).toEqual({ context, fills: true });

  const horizontal = wall.gridLines.filter((l) => l.top === l.bottom);
  const vertical = wall.gridLines.filter((l) => l.left === l.right);
  expect(horizontal.length).toBeGreaterThanOrEqual(2);
  expect(vertical.length).toBeGreaterThanOrEqual(2);
  expect(wall.gridLabels.length).toBeGreaterThanOrEqual(4);
  const overlaps = (a: Box, b: Box) => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  const touching = wall.gridLabels.filter((label) => wall.gridLines.some((line) => overlaps(label, { ...line, right: Math.max(line.right, line.left + 0.5), bottom: Math.max(line.bottom, line.top + 0.5) })));
  expect(touching.map((l) => l.text)).toEqual([]);

  const whole = new RegExp(`^${UTC_TIME_PATTERN.source}$`);
  const ticks = wall.timeTicks;
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  for (const t of ticks) expect(t.text).toMatch(whole);
  const seconds = ticks.map((t) => Date.parse(`${/^\d{4}-\d{2}-\d{2} /.test(t.text) ? t.text.slice(0, 10) : '2000-01-01'}T${t.text.slice(-12, -4)}Z`) / 1000);
  const centres = ticks.map((t) => (t.left + t.right) / 2);
  for (let i = 1; i < ticks.length; i++) {
    expect(seconds[i]!).toBeGreaterThan(seconds[i - 1]!);
    expect(ticks[i]!.left).toBeGreaterThanOrEqual(ticks[i - 1]!.right);
  }
  // Placed by time: px per second is the same between any two neighbouring ticks (within 1 px).
  const pxPerSecond = (centres.at(-1)! - centres[0]!) / (seconds.at(-1)! - seconds[0]!);
  for (let i = 1; i < ticks.length; i++) expect(Math.abs(centres[i]! - centres[i - 1]! - (seconds[i]! - seconds[i - 1]!) * pxPerSecond)).toBeLessThanOrEqual(1);

  const formatted = new RegExp(`(?<![\\d:-])${UTC_TIME_PATTERN.source}(?!\\w)`, 'g');
  const found = wall.texts.flatMap((t) => t.match(formatted) ?? []);
  const left = wall.texts.map((t) => t.replace(formatted, '')).filter((t) => /\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|\d\s?(?:AM|PM|a\.m\.|p\.m\.)|\d(?:Z|T\d)/.test(t));
  expect(left).toEqual([]);
  // The header's clock, the axis ticks, the breaker's times and the selected drone's two are all there.
  expect(wall.texts.some((t) => new RegExp(`^(Live|Degraded) · updated ${UTC_TIME_PATTERN.source}$`).test(t))).toBe(true);
  expect(found.length).toBeGreaterThanOrEqual(ticks.length + 4);
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
