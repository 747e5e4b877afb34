import { INGESTION_WINDOW_BATCH_SIZE } from '@telemetry/contracts';
import { DEVICE_DOCUMENT_BYTES, pointReadRu, ruPerEvent, writeRu, type RuPerEvent } from './cosmos-charges';
import type { Measured } from './measured';
import { FLEX_FREE_EXECUTIONS, FLEX_FREE_GB_SECONDS, HOURS_PER_MONTH, PRICES, SECONDS_PER_MONTH } from './prices';

export interface PlanInput {
  eventsPerSecond: number;
  devices: number;
  eventBytes: number;
  /** Seconds within which one device's events fold into one write (0 = no window). */
  windowSeconds: number;
  /**
   * How a device's events are spaced: `periodic` (telemetry on a timer, the default) or `random`
   * (independent arrivals, as the bench's simulator sends them): (1 - e^-x) writes per device per
   * span for x events expected in it.
   */
  arrivals?: 'periodic' | 'random';
  /** Share of events that are dead-lettered in normal running (bad input). */
  deadLetterFraction: number;
  /** Minutes a month the store may be down with every event of that time dead-lettered (budget). */
  failureWindowMinutes: number;
}

/**
 * Service limits and the product's own settings. Event Hubs: a Standard throughput unit allows
 * 1 MB/s or 1,000 events/s ingress and 2 MB/s or 4,096 events/s egress; Standard namespaces take
 * up to 40 TUs and 32 partitions per event hub; ingress is billed per 64 KB event
 * (https://learn.microsoft.com/azure/event-hubs/event-hubs-scalability,
 * https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas).
 */
export const LIMITS = {
  tuIngressBytesPerSecond: 1_000_000,
  tuIngressEventsPerSecond: 1_000,
  tuEgressBytesPerSecond: 2_000_000,
  tuEgressEventsPerSecond: 4_096,
  standardMaxThroughputUnits: 40,
  standardMaxPartitions: 32,
  billableEventBytes: 65_536,
  /** Serverless container throughput limit (https://learn.microsoft.com/azure/cosmos-db/serverless-performance). */
  serverlessMaxRuPerSecond: 5_000,
  provisionedMinRuPerSecond: 400,
  /** Flex Consumption scale-out limit per app (https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan). */
  flexMaxInstances: 1_000,
} as const;

/** Planning choices (why: see docs/capacity-planning.md). */
export const RULES = {
  /** Run each instance at half of its measured rate: headroom for bursts and for catching up. */
  instanceUtilisation: 0.5,
  /** Partitions per needed instance: a Standard hub's partition count is fixed at creation. */
  partitionsPerInstance: 2,
  minPartitions: 4,
  /** Provisioned RU/s above the mean need (uneven spread over physical partitions, bursts). */
  provisionedHeadroom: 1.25,
  /** apps/ingestion/host.json: maxEventBatchSize, batchCheckpointFrequency 1. */
  maxEventBatchSize: 100,
  /** infra/modules/function-app.bicep instanceMemoryMB 2048. */
  instanceMemoryGb: 2,
  /** Event processor load balancing: every instance lists ownership and renews its partitions each 10 s. */
  loadBalancingIntervalSeconds: 10,
  /** Functions host primary-host lock lease: about one renewal per instance per 10 s (assumption). */
  hostLockRenewalSeconds: 10,
  /** Queue operations per dead letter: enqueue, reprocessor's get, delete. */
  queueOpsPerDeadLetter: 3,
} as const;

export interface Plan {
  input: PlanInput;
  measured: Measured;
  eventHubs: { throughputUnits: number; partitions: number; ingressMBps: number; billableIngressEventsPerSecond: number };
  /**
   * The ingestion window as the trigger carries it out: each partition is cut after the window or at
   * INGESTION_WINDOW_BATCH_SIZE events, whichever comes first, so it holds `holdsSeconds` (<= the
   * window) on `eventHubs.partitions`; `partitionsToHold` is how many partitions would let it hold
   * the whole window. All 0 without a window.
   */
  window: { seconds: number; holdsSeconds: number; partitionsToHold: number; batchCap: number };
  functions: { instances: number; perInstanceEventsPerSecond: number; batchesPerSecond: number; gbSecondsPerMonth: number; executionsPerMonth: number };
  cosmos: {
    documentBytes: number;
    writesPerSecond: number;
    readsPerSecond: number;
    writesPerEvent: number;
    ruPerWrite: number;
    ruPerRead: number;
    ruPerSecond: number;
    ruPerEvent: RuPerEvent;
    serverlessRuPerMonth: number;
    provisionedRuPerSecond: number;
    storageGb: number;
  };
  storage: {
    checkpointWritesPerSecond: number;
    ownershipWritesPerSecond: number;
    ownershipListsPerSecond: number;
    hostWritesPerSecond: number;
    deadLettersPerMonth: number;
    queueOpsPerMonth: number;
    /** Checkpoints, ownership and host lock renewals: Set Blob Metadata / Renew Blob Lease, billed as "other" operations. */
    blobWritesPerMonth: number;
    /** Ownership listings: List Blobs, billed as list operations. */
    blobReadsPerMonth: number;
  };
  monthlyUsd: { eventHubs: number; functions: number; cosmosServerless: number; cosmosProvisioned: number; storage: number; totalServerless: number; totalProvisioned: number };
  warnings: string[];
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The capacity plan for a steady load. Pure: every figure follows from the input and the measured run. */
export function plan(input: PlanInput, measured: Measured): Plan {
  const { eventsPerSecond: n, devices: d, eventBytes: b, windowSeconds: s } = input;
  const warnings: string[] = [];

  // Event Hubs: enough TUs for ingress bytes and events, and for the one consumer group's egress.
  const throughputUnits = Math.max(
    1,
    Math.ceil((n * b) / LIMITS.tuIngressBytesPerSecond),
    Math.ceil(n / LIMITS.tuIngressEventsPerSecond),
    Math.ceil((n * b) / LIMITS.tuEgressBytesPerSecond),
    Math.ceil(n / LIMITS.tuEgressEventsPerSecond),
  );

  // Functions: one instance handles one partition at a time, at most the measured end-to-end rate.
  const perInstance = measured.eventsPerSecondPerInstance;
  const instances = Math.max(1, Math.ceil(n / (perInstance * RULES.instanceUtilisation)));
  const basePartitions = Math.max(RULES.minPartitions, throughputUnits, RULES.partitionsPerInstance * instances);
  // The window: a partition is cut after s seconds or at the batch cap (the memory bound), so it
  // holds s only while it receives fewer than cap events in s; that takes n x s / cap partitions.
  // Partitions cost nothing extra on Standard, so the plan asks for them, up to Standard's 32.
  const cap = INGESTION_WINDOW_BATCH_SIZE;
  const partitionsToHold = s > 0 ? Math.ceil((n * s) / cap) : 0;
  const partitions = Math.max(basePartitions, Math.min(partitionsToHold, LIMITS.standardMaxPartitions));
  const holdsSeconds = s > 0 ? Math.min(s, (cap * partitions) / n) : 0;
  if (s > 0 && holdsSeconds < s) {
    warnings.push(
      `the ${s} s window holds only ${round(holdsSeconds, 3)} s: ${partitions} partitions at ${round(n / partitions)} events/s each fill a ${cap}-event batch first; holding it needs ${partitionsToHold} partitions (Premium or Dedicated)`,
    );
  }

  if (throughputUnits > LIMITS.standardMaxThroughputUnits) warnings.push(`${throughputUnits} TUs exceed Standard's ${LIMITS.standardMaxThroughputUnits} per namespace: use Premium or Dedicated, or split the load over namespaces`);
  if (partitions > LIMITS.standardMaxPartitions) warnings.push(`${partitions} partitions exceed Standard's ${LIMITS.standardMaxPartitions} per event hub: use Premium or Dedicated, or several event hubs`);
  if (instances > LIMITS.flexMaxInstances) warnings.push(`${instances} instances exceed Flex Consumption's ${LIMITS.flexMaxInstances} per app`);

  // Batches: full batches when a partition has a backlog; otherwise a partition delivers about one
  // batch per store round trip (the measured p50), and never more batches than events. With a
  // window, a partition delivers one batch per span it holds.
  const batchesPerSecond = s > 0
    ? Math.min(n, partitions / holdsSeconds)
    : Math.min(n, Math.max(n / RULES.maxEventBatchSize, (partitions * 1000) / measured.latencyP50Ms));

  // Cosmos writes: a device sends n/d events/s; the events of a batch's span fold into one write.
  // Periodic devices (telemetry on a timer) write at most once per max(span, d/n) seconds:
  // d / max(span, d/n) writes/s in all. Devices sending at random times write in a span only when
  // it holds any of their events: with x = span x n/d events expected per span (Poisson), a device
  // writes with probability 1 - e^-x per span: d x (1 - e^-x) / span writes/s. Either way never
  // more than the measured no-window rate n x writesPerEvent. The span is what the window holds,
  // not what was asked for.
  const periodicWrites = d / Math.max(holdsSeconds, d / n);
  const x = (holdsSeconds * n) / d;
  const randomWrites = holdsSeconds > 0 ? (d * -Math.expm1(-x)) / holdsSeconds : periodicWrites;
  const writesPerSecond = Math.min(n * measured.writesPerEvent, input.arrivals === 'random' ? randomWrites : periodicWrites);
  const readsPerSecond = n * measured.readsPerEvent;
  const documentBytes = DEVICE_DOCUMENT_BYTES;
  const ruPerWrite = writeRu(documentBytes);
  const ruPerRead = pointReadRu(documentBytes);
  const ruPerSecond = writesPerSecond * ruPerWrite + readsPerSecond * ruPerRead;
  const provisionedRuPerSecond = Math.max(LIMITS.provisionedMinRuPerSecond, Math.ceil((ruPerSecond * RULES.provisionedHeadroom) / 100) * 100);
  const storageGb = Math.max(1, (d * documentBytes) / 1e9);
  if (ruPerSecond > LIMITS.serverlessMaxRuPerSecond) warnings.push(`${round(ruPerSecond)} RU/s exceed serverless's ${LIMITS.serverlessMaxRuPerSecond} RU/s: use provisioned throughput`);

  // Storage transactions.
  const checkpointWritesPerSecond = batchesPerSecond;
  const ownershipWritesPerSecond = partitions / RULES.loadBalancingIntervalSeconds;
  const ownershipListsPerSecond = instances / RULES.loadBalancingIntervalSeconds;
  const hostWritesPerSecond = instances / RULES.hostLockRenewalSeconds;
  const deadLettersPerMonth = n * input.deadLetterFraction * SECONDS_PER_MONTH + n * input.failureWindowMinutes * 60;
  const queueOpsPerMonth = deadLettersPerMonth * RULES.queueOpsPerDeadLetter;
  const blobWritesPerMonth = (checkpointWritesPerSecond + ownershipWritesPerSecond + hostWritesPerSecond) * SECONDS_PER_MONTH;
  const blobReadsPerMonth = ownershipListsPerSecond * SECONDS_PER_MONTH;

  // Money. Steady traffic keeps every instance active all month (each activity period is billed
  // for at least 1,000 ms and batches arrive more often than that), so on-demand GB-s = instances x memory x month.
  const gbSecondsPerMonth = instances * RULES.instanceMemoryGb * SECONDS_PER_MONTH;
  const executionsPerMonth = batchesPerSecond * SECONDS_PER_MONTH;
  const billableIngressEventsPerSecond = n * Math.ceil(b / LIMITS.billableEventBytes);
  const eventHubsUsd = throughputUnits * HOURS_PER_MONTH * PRICES.eventHubsStandardThroughputUnitHour.usd + ((billableIngressEventsPerSecond * SECONDS_PER_MONTH) / 1e6) * PRICES.eventHubsStandardIngressMillionEvents.usd;
  const functionsUsd = Math.max(0, gbSecondsPerMonth - FLEX_FREE_GB_SECONDS) * PRICES.functionsFlexOnDemandGbSecond.usd + (Math.max(0, executionsPerMonth - FLEX_FREE_EXECUTIONS) / 1e6) * PRICES.functionsFlexOnDemandMillionExecutions.usd;
  const serverlessRuPerMonth = ruPerSecond * SECONDS_PER_MONTH;
  const cosmosStorageUsd = storageGb * PRICES.cosmosStorageGbMonth.usd;
  const cosmosServerless = (serverlessRuPerMonth / 1e6) * PRICES.cosmosServerlessMillionRu.usd + cosmosStorageUsd;
  const cosmosProvisioned = (provisionedRuPerSecond / 100) * HOURS_PER_MONTH * PRICES.cosmosProvisioned100RuHour.usd + cosmosStorageUsd;
  // Checkpoints and ownership renewals are Set Blob Metadata on existing blobs, the host lock a lease
  // renewal: "other" operations on GPv2, not writes (map-rest-apis-transaction-categories); the
  // ownership listing is List Blobs. The few Put Blobs that create the blobs are left out.
  const storageUsd = (blobWritesPerMonth / 1e4) * PRICES.blobHotOtherTenThousand.usd + (blobReadsPerMonth / 1e4) * PRICES.blobListTenThousand.usd + (queueOpsPerMonth / 1e4) * PRICES.queueTenThousand.usd;

  return {
    input,
    measured,
    eventHubs: { throughputUnits, partitions, ingressMBps: round((n * b) / 1e6, 3), billableIngressEventsPerSecond },
    window: { seconds: s, holdsSeconds: round(holdsSeconds, 3), partitionsToHold, batchCap: s > 0 ? cap : 0 },
    functions: { instances, perInstanceEventsPerSecond: perInstance, batchesPerSecond: round(batchesPerSecond), gbSecondsPerMonth, executionsPerMonth: Math.round(executionsPerMonth) },
    cosmos: {
      documentBytes,
      writesPerSecond: round(writesPerSecond),
      readsPerSecond: round(readsPerSecond),
      writesPerEvent: round(writesPerSecond / n, 4),
      ruPerWrite,
      ruPerRead,
      ruPerSecond: round(ruPerSecond),
      ruPerEvent: ruPerEvent({ readsPerEvent: readsPerSecond / n, writesPerEvent: writesPerSecond / n }, documentBytes),
      serverlessRuPerMonth: Math.round(serverlessRuPerMonth),
      provisionedRuPerSecond,
      storageGb: round(storageGb, 3),
    },
    storage: {
      checkpointWritesPerSecond: round(checkpointWritesPerSecond),
      ownershipWritesPerSecond: round(ownershipWritesPerSecond),
      ownershipListsPerSecond: round(ownershipListsPerSecond),
      hostWritesPerSecond: round(hostWritesPerSecond),
      deadLettersPerMonth: Math.round(deadLettersPerMonth),
      queueOpsPerMonth: Math.round(queueOpsPerMonth),
      blobWritesPerMonth: Math.round(blobWritesPerMonth),
      blobReadsPerMonth: Math.round(blobReadsPerMonth),
    },
    monthlyUsd: {
      eventHubs: round(eventHubsUsd),
      functions: round(functionsUsd),
      cosmosServerless: round(cosmosServerless),
      cosmosProvisioned: round(cosmosProvisioned),
      storage: round(storageUsd),
      totalServerless: round(eventHubsUsd + functionsUsd + cosmosServerless + storageUsd),
      totalProvisioned: round(eventHubsUsd + functionsUsd + cosmosProvisioned + storageUsd),
    },
    warnings,
  };
}
