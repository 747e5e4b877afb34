import { COSMOS_CHARGE_SOURCES } from './cosmos-charges';
import type { Plan } from './plan';
import { CURRENCY, PRICES, REGION } from './prices';

const f = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The plan as text for a terminal. */
export function formatPlan(p: Plan): string {
  const { input: i, eventHubs: eh, functions: fn, cosmos: c, storage: st, monthlyUsd: m } = p;
  const lines = [
    `Capacity plan: ${f(i.eventsPerSecond)} events/s from ${f(i.devices)} devices, ${f(i.eventBytes)} bytes/event, window ${f(i.windowSeconds)} s${i.arrivals === 'random' ? ', random arrivals' : ''}`,
    `(measured inputs from the bench run of ${p.measured.date}: ${f(fn.perInstanceEventsPerSecond)} events/s per instance, ${f(p.measured.writesPerEvent)} writes/event, ${f(p.measured.readsPerEvent)} reads/event, p50 ${f(p.measured.latencyP50Ms)} ms)`,
    '',
    'Event Hubs (Standard)',
    `  throughput units     ${eh.throughputUnits}   (ingress ${f(eh.ingressMBps)} MB/s; 1 TU = 1 MB/s or 1,000 events/s in, 2 MB/s out)`,
    `  partitions           ${eh.partitions}   (${p.window.seconds > 0 ? 'max(4, TUs, 2 x instances, what the window needs up to 32)' : 'max(4, TUs, 2 x instances)'}: one instance per partition, fixed at creation)`,
    ...(p.window.seconds > 0
      ? [`  window               holds ${f(p.window.holdsSeconds)} of ${f(p.window.seconds)} s   (a partition is cut at ${p.window.batchCap} events; ${f(p.window.partitionsToHold)} partitions would hold it all; adds up to ${f(p.window.holdsSeconds)} s to latency)`]
      : []),
    'Functions (Flex Consumption, 2,048 MB instances)',
    `  instances            ${fn.instances}   (events/s / (measured ${f(fn.perInstanceEventsPerSecond)} x 0.5))`,
    `  batches              ${f(fn.batchesPerSecond)} /s`,
    'Cosmos DB',
    `  writes               ${f(c.writesPerSecond)} /s (${f(c.writesPerEvent)} per event), reads ${f(c.readsPerSecond)} /s`,
    `  charges              ${f(c.ruPerWrite)} RU/write, ${f(c.ruPerRead)} RU/read for a ${c.documentBytes}-byte device document`,
    `  RU per event         ${f(c.ruPerEvent.product)} (reference pattern, 1 read + 1 upsert: ${f(c.ruPerEvent.reference)}; ratio ${f(c.ruPerEvent.ratio)})`,
    `  serverless           ${f(c.ruPerSecond)} RU/s consumed, ${f(c.serverlessRuPerMonth / 1e6)} million RU/month`,
    `  provisioned          ${f(c.provisionedRuPerSecond)} RU/s (x1.25 headroom, min 400, steps of 100)`,
    `  storage              ${f(c.storageGb)} GB (1 GB billed minimum)`,
    'Storage transactions',
    `  checkpoints          ${f(st.checkpointWritesPerSecond)} blob metadata writes/s (one per batch per partition; billed as "other" operations)`,
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
