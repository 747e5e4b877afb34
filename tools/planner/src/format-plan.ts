import { COSMOS_CHARGE_SOURCES } from './cosmos-charges';
import type { Plan } from './plan';
import { CURRENCY, PRICES, REGION } from './prices';

const f = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const f3 = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 3 });
const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The window's section: what it folds, what it adds to latency, what it holds in memory. */
function windowLines(p: Plan): string[] {
  const { window: w, input: i } = p;
  const perDevice = f(i.eventsPerSecond / i.devices);
  const span = `${perDevice} event/s x (${f(w.effectiveSeconds)} - ${f3(w.deliverySeconds)} s delivery)`;
  const events = `${f(w.eventsPerWrite)} event${w.eventsPerWrite === 1 ? '' : 's'} a write`;
  const fold = i.arrivals === 'random' ? `random arrivals: 1 + ${span} = ${events}` : `periodic devices: ceil(${span}) = ${events}`;
  const bounded = w.effectiveSeconds < w.seconds;
  return [
    'Ingestion window (write-behind in the ingestion app)',
    `  window               ${f(w.seconds)} s   (INGESTION_WINDOW_SECONDS: a device's events are written once, the window after the first was enqueued)`,
    ...(bounded ? [`  held window          ${f(w.effectiveSeconds)} s   (the memory bound cuts it short: see the warnings)`] : []),
    `  window writes        ${f3(w.writesPerEvent)} per event   (${fold})`,
    `  latency              adds up to ${f(w.addedLatencySeconds)} s   (to a device's first event; p99 enqueue -> stored ~ ${f3(w.p99LatencySeconds)} s: the window + one write)`,
    `  held in memory       ${f(w.heldMbPerInstance)} MB per instance   (${f(w.eventsPerSecondPerInstance)} events/s x ${f(w.seconds)} s x (${f(i.eventBytes)} + 512) B; bound INGESTION_WINDOW_MAX_HELD_MB ${w.maxHeldMb})`,
  ];
}

/** The plan as text for a terminal. */
export function formatPlan(p: Plan): string {
  const { input: i, eventHubs: eh, functions: fn, cosmos: c, storage: st, monthlyUsd: m, window: w } = p;
  const lines = [
    `Capacity plan: ${f(i.eventsPerSecond)} events/s from ${f(i.devices)} devices, ${f(i.eventBytes)} bytes/event, window ${f(i.windowSeconds)} s${i.arrivals === 'random' ? ', random arrivals' : ''}`,
    `(measured inputs from the bench run of ${p.measured.date}: ${f(fn.perInstanceEventsPerSecond)} events/s per instance, ${f(p.measured.writesPerEvent)} writes/event, ${f(p.measured.readsPerEvent)} reads/event, p50 ${f(p.measured.latencyP50Ms)} ms)`,
    '',
    'Event Hubs (Standard)',
    `  throughput units     ${eh.throughputUnits}   (ingress ${f(eh.ingressMBps)} MB/s; 1 TU = 1 MB/s or 1,000 events/s in, 2 MB/s out)`,
    `  partitions           ${eh.partitions}   (max(4, TUs, 2 x instances): one instance per partition, fixed at creation)`,
    'Functions (Flex Consumption, 2,048 MB instances)',
    `  instances            ${fn.instances}   (events/s / (measured ${f(fn.perInstanceEventsPerSecond)} x 0.5))`,
    `  batches              ${f(fn.batchesPerSecond)} /s`,
    ...(w.seconds > 0 ? windowLines(p) : []),
    'Cosmos DB',
    `  writes               ${f(c.writesPerSecond)} /s (${f(c.writesPerEvent)} per event), reads ${f(c.readsPerSecond)} /s`,
    `  charges              ${f(c.ruPerWrite)} RU/write, ${f(c.ruPerRead)} RU/read for a ${c.documentBytes}-byte device document`,
    `  RU per event         ${f(c.ruPerEvent.product)} (reference pattern, 1 read + 1 upsert: ${f(c.ruPerEvent.reference)}; ratio ${f(c.ruPerEvent.ratio)})`,
    `  serverless           ${f(c.ruPerSecond)} RU/s consumed, ${f(c.serverlessRuPerMonth / 1e6)} million RU/month`,
    `  provisioned          ${f(c.provisionedRuPerSecond)} RU/s (x1.25 headroom, min 400, steps of 100)`,
    `  storage              ${f(c.storageGb)} GB (1 GB billed minimum)`,
    'Storage transactions',
    `  checkpoints          ${f(st.checkpointWritesPerSecond)} blob metadata writes/s (one per batch per partition; billed as "other" operations)`,
    ...(w.seconds > 0 ? [`  watermarks           ${f(st.watermarkWritesPerSecond)} blob writes/s (the window's: one Put Blob per partition per second while events flow; billed as writes)`] : []),
    `  ownership / host     ${f(st.ownershipWritesPerSecond)} + ${f(st.hostWritesPerSecond)} metadata writes and lease renewals/s ("other"), ${f(st.ownershipListsPerSecond)} List Blobs/s`,
    `  dead letters         ${f(st.deadLettersPerMonth)} /month (${f(i.deadLetterFraction * 100)} % of events + a ${f(i.failureWindowMinutes)}-minute failure window), ${f(st.queueOpsPerMonth)} queue ops`,
    '',
    `Monthly estimate (${REGION}, ${CURRENCY}, 730 h; prices as of ${PRICES.eventHubsStandardThroughputUnitHour.asOf})`,
    `  Event Hubs           ${usd(m.eventHubs)}`,
    `  Functions            ${usd(m.functions)}`,
    `  Cosmos serverless    ${usd(m.cosmosServerless)}`,
    `  Cosmos provisioned   ${usd(m.cosmosProvisioned)}`,
    `  Storage              ${usd(m.storage)}`,
    `  total (serverless)   ${usd(m.totalServerless)}`,
    `  total (provisioned)  ${usd(m.totalProvisioned)}`,
  ];
  if (p.warnings.length) lines.push('', 'Warnings', ...p.warnings.map((w) => `  ! ${w}`));
  lines.push('', 'Sources: unit prices and their dates in tools/planner/src/prices.ts; RU charges:', ...COSMOS_CHARGE_SOURCES.map((s) => `  ${s}`));
  return `${lines.join('\n')}\n`;
}
