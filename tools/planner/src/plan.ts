import { windowWritesPerEvent } from '@telemetry/contracts';
import { DEVICE_DOCUMENT_BYTES, pointReadRu, ruPerEvent, writeRu, type RuPerEvent } from './cosmos-charges';
import type { Measured } from './measured';
import { FLEX_FREE_EXECUTIONS, FLEX_FREE_GB_SECONDS, HOURS_PER_MONTH, PRICES, SECONDS_PER_MONTH } from './prices';

export interface PlanInput {
  eventsPerSecond: number;
  devices: number;
  eventBytes: number;
  /**
   * The ingestion window (INGESTION_WINDOW_SECONDS, 0 = none): the write-behind writes a device's
   * events once, this long after the first of them was enqueued.
   */
  windowSeconds: number;
  /**
   * How a device's events are spaced: `periodic` (telemetry on a timer, the default) or `random`
   * (independent, Poisson, as the bench's simulator sends them). With x = rate x (window - delivery)
   * of a device's events expected after its first within a window, a write carries ceil(x) events
   * of a periodic device, 1 + x of a random one (`windowWritesPerEvent`).
   */
  arrivals?: 'periodic' | 'random';
  /** The write-behind's memory bound per instance, INGESTION_WINDOW_MAX_HELD_MB (default 64). */
  maxHeldMb?: number;
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
  /** apps/ingestion/src/config.ts INGESTION_WINDOW_MAX_HELD_MB: default and INGESTION_WINDOW_MAX_HELD_MB_LIMIT. */
  defaultMaxHeldMb: 64,
  maxHeldMbLimit: 256,
  /** libs/ingestion-pipeline WriteBehind: what one held event costs besides its body (bytes). */
  heldBytesPerEventOverhead: 512,
  /** libs/ingestion-pipeline WriteBehind watermarkEveryMs: at most one watermark write per partition per second. */
  watermarkIntervalSeconds: 1,
} as const;

/** The write-behind counts its bound in MiB (apps/ingestion/src/services.ts: MB x 1024 x 1024). */
const MIB = 1024 * 1024;

export interface Plan {
  input: PlanInput;
  measured: Measured;
  eventHubs: { throughputUnits: number; partitions: number; ingressMBps: number; billableIngressEventsPerSecond: number };
  /**
   * The ingestion window as the write-behind carries it out (libs/ingestion-pipeline WriteBehind):
   * each device's events are held in memory and written once, the window after the first of them
   * was enqueued; the trigger keeps host.json's batching. Without a window every figure is 0 but
   * `eventsPerWrite` and `writesPerEvent` (1: no fold beyond the trigger batch's) and `maxHeldMb`.
   */
  window: {
    seconds: number;
    /** The window the memory bound lets it hold (= `seconds` unless `heldMbPerInstance` > `maxHeldMb`). */
    effectiveSeconds: number;
    /** Enqueue -> write-behind, taken as the measured p50 enqueue -> stored without a window (an upper bound). */
    deliverySeconds: number;
    /** A device's events expected after its first, within the effective window less delivery: x = N/D x (S - delivery). */
    eventsFoldedPerDevice: number;
    /** Events a write carries with the window alone (periodic max(1, ceil(x)); random 1 + x). */
    eventsPerWrite: number;
    /** Writes per event the window alone gives: 1 / `eventsPerWrite` (the plan takes the lower of it and the measured). */
    writesPerEvent: number;
    /** The load on one instance (events/s / instances): what its write-behind holds. */
    eventsPerSecondPerInstance: number;
    /** Held events per instance at the window asked for: events/s per instance x S x (event bytes + 512), MiB. */
    heldMbPerInstance: number;
    maxHeldMb: number;
    /** INGESTION_WINDOW_MAX_HELD_MB that would hold the whole window (ceil of `heldMbPerInstance`; limit 256). */
    maxHeldMbToHold: number;
    /** Instances whose bound (`maxHeldMb`) would hold the whole window between them. */
    instancesToHold: number;
    /** Latency the window adds: up to the effective window, to a device's first event. */
    addedLatencySeconds: number;
    /** p99 enqueue -> stored with the window: the effective window + one write (the measured p50). */
    p99LatencySeconds: number;
  };
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
    /** The window's watermarks: one Put Blob per partition per second while events flow (0 without a window). */
    watermarkWritesPerSecond: number;
    deadLettersPerMonth: number;
    queueOpsPerMonth: number;
    /** Checkpoints, ownership and host lock renewals: Set Blob Metadata / Renew Blob Lease, billed as "other" operations. */
    blobWritesPerMonth: number;
    /** Watermark Put Blobs, billed as write operations. */
    watermarkWritesPerMonth: number;
    /** Ownership listings: List Blobs, billed as list operations. */
    blobReadsPerMonth: number;
  };
  monthlyUsd: { eventHubs: number; functions: number; cosmosServerless: number; cosmosProvisioned: number; storage: number; totalServerless: number; totalProvisioned: number };
  warnings: string[];
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Writes per event of a device sending on a timer, `x` of its events expected after its first
 * within the window less delivery: the first and the ceil(x) - 1 that follow it before the window
 * closes share one write. Never more than `windowWritesPerEvent` gives random (Poisson) devices,
 * 1 / (1 + x): ceil(x) <= 1 + x. (The 1e-9 keeps an x of exactly k, computed as k + 1e-15, at k.)
 */
export function periodicWritesPerEvent(x: number): number {
  return 1 / Math.max(1, Math.ceil(x - 1e-9));
}

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
  const partitions = Math.max(RULES.minPartitions, throughputUnits, RULES.partitionsPerInstance * instances);

  if (throughputUnits > LIMITS.standardMaxThroughputUnits) warnings.push(`${throughputUnits} TUs exceed Standard's ${LIMITS.standardMaxThroughputUnits} per namespace: use Premium or Dedicated, or split the load over namespaces`);
  if (partitions > LIMITS.standardMaxPartitions) warnings.push(`${partitions} partitions exceed Standard's ${LIMITS.standardMaxPartitions} per event hub: use Premium or Dedicated, or several event hubs`);
  if (instances > LIMITS.flexMaxInstances) warnings.push(`${instances} instances exceed Flex Consumption's ${LIMITS.flexMaxInstances} per app`);

  // Batches: full batches when a partition has a backlog; otherwise a partition delivers about one
  // batch per store round trip (the measured p50), and never more batches than events. The window
  // does not change them: the trigger keeps host.json's batching, the write-behind holds per device.
  const batchesPerSecond = Math.min(n, Math.max(n / RULES.maxEventBatchSize, (partitions * 1000) / measured.latencyP50Ms));

  // The window (write-behind). Each instance holds its share of the events for up to the window:
  // events/s per instance x S x (event bytes + 512 B of the rest) (an upper bound: only a device's
  // first event waits the whole window). Past INGESTION_WINDOW_MAX_HELD_MB an invocation writes
  // everything held and waits for it, so the window holds only as long as the bound lasts.
  const maxHeldMb = input.maxHeldMb ?? RULES.defaultMaxHeldMb;
  const heldBytesPerEvent = b + RULES.heldBytesPerEventOverhead;
  const perInstanceEventsPerSecond = n / instances;
  const heldBytesPerInstance = perInstanceEventsPerSecond * s * heldBytesPerEvent;
  const effectiveSeconds = s > 0 ? Math.min(s, (maxHeldMb * MIB) / (perInstanceEventsPerSecond * heldBytesPerEvent)) : 0;
  const maxHeldMbToHold = s > 0 ? Math.ceil(heldBytesPerInstance / MIB) : 0;
  const instancesToHold = s > 0 ? Math.ceil((n * s * heldBytesPerEvent) / (maxHeldMb * MIB)) : 0;
  if (s > 0 && effectiveSeconds < s) {
    const fix = maxHeldMbToHold <= RULES.maxHeldMbLimit ? `set INGESTION_WINDOW_MAX_HELD_MB to ${maxHeldMbToHold} (limit ${RULES.maxHeldMbLimit}), or spread the load over ${instancesToHold} instances` : `more than the ${RULES.maxHeldMbLimit} MB limit: spread the load over ${instancesToHold} instances, or shorten the window`;
    warnings.push(
      `the ${s} s window holds only ${round(effectiveSeconds)} s: ${round(perInstanceEventsPerSecond)} events/s per instance x ${s} s x ${heldBytesPerEvent} B = ${round(heldBytesPerInstance / MIB, 1)} MB held, over INGESTION_WINDOW_MAX_HELD_MB ${maxHeldMb}, so invocations wait for the writes; ${fix}`,
    );
  }

  // Cosmos writes. A device sends r = N/D events/s and its events reach the write-behind `delivery`
  // after they were enqueued (the measured no-window p50 stands in: it is enqueue -> stored, an
  // upper bound). A write carries a device's first event and the x = r x (S - delivery) expected
  // after it before the window closes: 1 + x of a random (Poisson) device, windowWritesPerEvent;
  // ceil(x) of a periodic one. Without a window (or S below delivery) the trigger batch still folds
  // a device's events within one batch, as the bench measured: never more than N x measured.
  const r = n / d;
  const deliverySeconds = measured.latencyP50Ms / 1000;
  const x = s > 0 ? r * Math.max(0, effectiveSeconds - deliverySeconds) : 0;
  const windowWpe = s > 0 ? (input.arrivals === 'random' ? windowWritesPerEvent(effectiveSeconds, r, deliverySeconds) : periodicWritesPerEvent(x)) : 1;
  const writesPerEvent = Math.min(measured.writesPerEvent, windowWpe);
  const writesPerSecond = n * writesPerEvent;
  if (s > 0 && windowWpe >= measured.writesPerEvent) {
    warnings.push(`the ${s} s window saves no Cosmos DB writes: a device sends an event every ${round(d / n)} s, and ${round(deliverySeconds, 3)} s of the window go to delivery; it only adds latency and watermark writes`);
  }
  const readsPerSecond = n * measured.readsPerEvent;
  const documentBytes = DEVICE_DOCUMENT_BYTES;
  const ruPerWrite = writeRu(documentBytes);
  const ruPerRead = pointReadRu(documentBytes);
  const ruPerSecond = writesPerSecond * ruPerWrite + readsPerSecond * ruPerRead;
  const provisionedRuPerSecond = Math.max(LIMITS.provisionedMinRuPerSecond, Math.ceil((ruPerSecond * RULES.provisionedHeadroom) / 100) * 100);
  const storageGb = Math.max(1, (d * documentBytes) / 1e9);
  if (ruPerSecond > LIMITS.serverlessMaxRuPerSecond) warnings.push(`${round(ruPerSecond)} RU/s exceed serverless's ${LIMITS.serverlessMaxRuPerSecond} RU/s: use provisioned throughput`);

  // Storage transactions. With a window, the write-behind also writes each partition's watermark
  // (a Put Blob next to the checkpoints) at most once a second, when it moved: every second while
  // the partition gets at least an event a second. A takeover reads the hub again: no steady cost.
  const checkpointWritesPerSecond = batchesPerSecond;
  const ownershipWritesPerSecond = partitions / RULES.loadBalancingIntervalSeconds;
  const ownershipListsPerSecond = instances / RULES.loadBalancingIntervalSeconds;
  const hostWritesPerSecond = instances / RULES.hostLockRenewalSeconds;
  const watermarkWritesPerSecond = s > 0 ? Math.min(partitions / RULES.watermarkIntervalSeconds, n) : 0;
  const deadLettersPerMonth = n * input.deadLetterFraction * SECONDS_PER_MONTH + n * input.failureWindowMinutes * 60;
  const queueOpsPerMonth = deadLettersPerMonth * RULES.queueOpsPerDeadLetter;
  const blobWritesPerMonth = (checkpointWritesPerSecond + ownershipWritesPerSecond + hostWritesPerSecond) * SECONDS_PER_MONTH;
  const watermarkWritesPerMonth = watermarkWritesPerSecond * SECONDS_PER_MONTH;
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
  // ownership listing is List Blobs. The few Put Blobs that create the blobs are left out. A
  // watermark is a Put Blob each time (BlobWatermarkStore uploads an empty blob with metadata): a write.
  const storageUsd =
    (blobWritesPerMonth / 1e4) * PRICES.blobHotOtherTenThousand.usd +
    (watermarkWritesPerMonth / 1e4) * PRICES.blobHotWriteTenThousand.usd +
    (blobReadsPerMonth / 1e4) * PRICES.blobListTenThousand.usd +
    (queueOpsPerMonth / 1e4) * PRICES.queueTenThousand.usd;

  return {
    input,
    measured,
    eventHubs: { throughputUnits, partitions, ingressMBps: round((n * b) / 1e6, 3), billableIngressEventsPerSecond },
    window: {
      seconds: s,
      effectiveSeconds: round(effectiveSeconds, 3),
      deliverySeconds: s > 0 ? round(deliverySeconds, 3) : 0,
      eventsFoldedPerDevice: round(x, 3),
      eventsPerWrite: round(1 / windowWpe),
      writesPerEvent: round(windowWpe, 4),
      eventsPerSecondPerInstance: s > 0 ? round(perInstanceEventsPerSecond) : 0,
      heldMbPerInstance: round(heldBytesPerInstance / MIB, 2),
      maxHeldMb,
      maxHeldMbToHold,
      instancesToHold,
      addedLatencySeconds: round(effectiveSeconds, 3),
      p99LatencySeconds: s > 0 ? round(effectiveSeconds + measured.latencyP50Ms / 1000, 3) : 0,
    },
    functions: { instances, perInstanceEventsPerSecond: perInstance, batchesPerSecond: round(batchesPerSecond), gbSecondsPerMonth, executionsPerMonth: Math.round(executionsPerMonth) },
    cosmos: {
      documentBytes,
      writesPerSecond: round(writesPerSecond),
      readsPerSecond: round(readsPerSecond),
      writesPerEvent: round(writesPerEvent, 4),
      ruPerWrite,
      ruPerRead,
      ruPerSecond: round(ruPerSecond),
      ruPerEvent: ruPerEvent({ readsPerEvent: readsPerSecond / n, writesPerEvent }, documentBytes),
      serverlessRuPerMonth: Math.round(serverlessRuPerMonth),
      provisionedRuPerSecond,
      storageGb: round(storageGb, 3),
    },
    storage: {
      checkpointWritesPerSecond: round(checkpointWritesPerSecond),
      ownershipWritesPerSecond: round(ownershipWritesPerSecond),
      ownershipListsPerSecond: round(ownershipListsPerSecond),
      hostWritesPerSecond: round(hostWritesPerSecond),
      watermarkWritesPerSecond: round(watermarkWritesPerSecond),
      deadLettersPerMonth: Math.round(deadLettersPerMonth),
      queueOpsPerMonth: Math.round(queueOpsPerMonth),
      blobWritesPerMonth: Math.round(blobWritesPerMonth),
      watermarkWritesPerMonth: Math.round(watermarkWritesPerMonth),
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
