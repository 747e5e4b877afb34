import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import { waitUntil } from '@telemetry/local-services';
import { stackMetrics, waitForDrain } from '@telemetry/local-stack';
import type { MetricsSnapshot } from '@telemetry/observability';
import { auditRun, type AuditReport } from './audit';
import { DeliveryTracker, type DeliveryCounts } from './delivery-tracker';
import { waitForFreshMetrics } from './fresh-metrics';
import { FULL_SOAK, type FaultScenario, type ScenarioContext, type SoakSize } from './fault-scenario';
import { MatrixStack, matrixApps, type RestartableAccount } from './matrix-stack';
import { writeRecordFile } from './record-file';

export interface MatrixOptions {
  scenarios: FaultScenario[];
  /** Events per scenario (100,000 at full size). */
  size: number;
  /** Outage length (ms); 30 s at full size. */
  outageMs: number;
  /** How long a scenario's load lasts around its fault (s); 30 at full size. */
  loadSeconds?: number;
  /** The soak's length and rate (default: full size, 30 min at 1,000 events/s). */
  soak?: SoakSize;
  dataDir: string;
  /** The ingestion window every scenario runs with (s; 0 or unset = none, as shipped). */
  windowSeconds?: number;
  seed?: number;
  /** Drain bound per scenario (ms). */
  drainTimeoutMs?: number;
  build?: boolean;
  echo?: boolean;
  log?: (message: string) => void;
  onResult?: (result: ScenarioResult) => void;
  /** Told of the stack running now (undefined once stopped), so a signal handler can stop it. */
  onStack?: (stack: MatrixStack | undefined) => void;
}

/** A scenario's row: the audit's accounting (sent .. lost) plus what the run itself observed. */
export interface ScenarioResult extends Pick<AuditReport, 'sent' | 'distinct' | 'applied' | 'superseded' | 'deadLettered' | 'parked' | 'lost'> {
  id: string;
  title: string;
  /** Deliveries to the ingestion function beyond the first of each distinct body (exact; see README). */
  duplicatesAbsorbed: number;
  /** Of those, deliveries beyond the first of each event (partition, sequence number): replays after a kill, rebalance, restart or retry. Exact. */
  redelivered: number;
  /** The exact delivery figures (the hosts' delivery journals). */
  deliveries: DeliveryCounts;
  devicesMismatched: number;
  /** Dead letters ingestion wrote during the scenario, by code (its metrics). */
  deadLettersWritten: Record<string, number>;
  /** What the reprocessor did with them, by action (its metrics). */
  reprocessor: Record<string, number>;
  seconds: number;
  passed: boolean;
  failures: string[];
  facts: Record<string, unknown>;
  audit: AuditReport;
}

const counters = (s: MetricsSnapshot, name: string, key: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const c of s.counters) if (c.name === name) out[c.attributes[key] ?? ''] = (out[c.attributes[key] ?? ''] ?? 0) + c.value;
  return out;
};
const minus = (a: Record<string, number>, b: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)] as const).filter(([, v]) => v > 0));

/** Waits for every checkpoint to reach the end of its partition, then for the dead-letter queues to empty. */
async function drain(matrix: MatrixStack, timeoutMs: number): Promise<void> {
  await waitForDrain(matrix.descriptor, { timeoutMs });
  const queue = matrix.descriptor.queues.deadLetter;
  for (const name of [queue, `${queue}-poison`]) {
    const client = new QueueClient(matrix.deadLetterStorage, name);
    await waitUntil(
      async () => ((await client.getProperties().catch(() => ({ approximateMessagesCount: 0 }))).approximateMessagesCount ?? 0) === 0,
      { timeoutMs, intervalMs: 500, description: `dead-letter queue ${name} to be drained by the reprocessor` },
    );
  }
}

/** Runs one scenario on a running matrix stack: stores reset, fault under load, drain, audit, expectations. */
export async function runFaultScenario(matrix: MatrixStack, scenario: FaultScenario, options: Omit<MatrixOptions, 'scenarios'>, index: number): Promise<ScenarioResult> {
  const log = options.log ?? (() => undefined);
  await matrix.resetStores();
  const deliveries = new DeliveryTracker(matrix.deliveryLogDir);
  await deliveries.start(matrix.ingestion);
  const before = await stackMetrics(matrix.stack);
  const ctx: ScenarioContext = {
    matrix, size: options.size, outageMs: options.outageMs, loadSeconds: options.loadSeconds ?? 30, seed: (options.seed ?? 1) * 1000 + index,
    recordFile: path.join(options.dataDir, 'records', `${scenario.id}.ndjson`),
    deliveries, soak: options.soak ?? FULL_SOAK, windowSeconds: matrix.windowSeconds, log: (m) => log(`[${scenario.id}] ${m}`),
  };
  const started = Date.now();
  const failures: string[] = [];
  ctx.log('running');
  const outcome = await scenario.run(ctx);
  await writeRecordFile(ctx.recordFile, outcome.sent);
  ctx.log(`sent ${outcome.sent.length}; draining`);
  await drain(matrix, options.drainTimeoutMs ?? 600_000);
  const seconds = (Date.now() - started) / 1000;
  await deliveries.refresh(matrix.ingestion);
  const audit = await auditRun(matrix.descriptor, outcome.sent, { deadLetterStorage: matrix.deadLetterStorage });
  // The apps' metrics come from snapshot files rewritten every 2 s: wait for writes after the audit.
  await waitForFreshMetrics(matrix.descriptor.dataDir, Date.now());
  const after = await stackMetrics(matrix.stack);
  const facts = outcome.facts ?? {};
  if (audit.lost !== 0) failures.push(`${audit.lost} events lost`);
  if (audit.devicesMismatched.length) failures.push(`${audit.devicesMismatched.length} devices differ from the model: ${audit.devicesMismatched.slice(0, 5).join(', ')}`);
  if (audit.unexpectedCodes.length) failures.push(`dead letters with unexpected codes: ${JSON.stringify(audit.unexpectedCodes.slice(0, 3))}`);
  if (audit.deadLettered !== 0) failures.push(`${audit.deadLettered} dead letters still queued after the drain`);
  const counts = deliveries.counts();
  const delivered = counts.deliveries;
  const result: ScenarioResult = {
    id: scenario.id, title: scenario.title,
    sent: audit.sent, distinct: audit.distinct, applied: audit.applied, superseded: audit.superseded,
    deadLettered: audit.deadLettered, parked: audit.parked, lost: audit.lost,
    duplicatesAbsorbed: Math.max(0, delivered - audit.distinct),
    redelivered: counts.duplicates,
    deliveries: counts,
    devicesMismatched: audit.devicesMismatched.length,
    deadLettersWritten: minus(counters(after, 'telemetry.events.deadlettered', 'code'), counters(before, 'telemetry.events.deadlettered', 'code')),
    reprocessor: minus(counters(after, 'reprocessor.outcomes', 'outcome'), counters(before, 'reprocessor.outcomes', 'outcome')),
    seconds: Math.round(seconds * 10) / 10,
    passed: false, failures, facts: { ...facts, delivered }, audit,
  };
  failures.push(...(outcome.expectations?.(audit, result.facts, result) ?? []), ...((await outcome.verify?.()) ?? []));
  result.passed = failures.length === 0;
  ctx.log(`${result.passed ? 'PASSED' : 'FAILED'} in ${result.seconds} s${failures.length ? `: ${failures.join('; ')}` : ''}`);
  return result;
}

/** One stack of a matrix run: its scenarios, whether it runs the breaker, and whether it bundles its apps first. */
export interface StackPlan {
  /** Its data folder's name under the run's. */
  name: string;
  scenarios: FaultScenario[];
  withBreaker: boolean;
  build: boolean;
  /** The accounts its scenarios stop and start again (on disk); the others run in memory. */
  restarts: RestartableAccount[];
}

/** The accounts any of these scenarios restarts. */
export const restartsOf = (scenarios: FaultScenario[]): RestartableAccount[] => [...new Set(scenarios.flatMap((s) => s.restarts ?? []))].sort();

/**
 * The stacks a run starts, in order: the scenarios that can share a stack, then each that wants a
 * stack of its own (the soak), then the breaker's. A stack keeps on disk only the accounts its
 * scenarios restart. A stack bundles its apps unless every one of them was bundled by an earlier
 * stack of this run (the bundles live in this process's folder): the breaker's stack has an app
 * the first stack never bundles, and a fresh tree has no dist/ to fall back on. `build: false`
 * bundles nothing (the caller did).
 */
export function planStacks(scenarios: FaultScenario[], build = true): StackPlan[] {
  const built = new Set<string>();
  const plans: StackPlan[] = [];
  for (const withBreaker of [false, true]) {
    const group = scenarios.filter((s) => Boolean(s.breaker) === withBreaker);
    const shared = group.filter((s) => !s.ownStack);
    const stacks = [...(shared.length ? [{ name: withBreaker ? 'stack-breaker' : 'stack', scenarios: shared }] : []), ...group.filter((s) => s.ownStack).map((s) => ({ name: `stack-${s.id}`, scenarios: [s] }))];
    const apps = matrixApps(withBreaker);
    for (const stack of stacks) {
      plans.push({ ...stack, withBreaker, build: build && apps.some((a) => !built.has(a)), restarts: restartsOf(stack.scenarios) });
      if (build) for (const a of apps) built.add(a);
    }
  }
  return plans;
}

/**
 * Runs the scenarios: those that can share a stack on one (stores reset between them), the soak on
 * its own, the breaker's on its own stack with the breaker app. Returns one result per scenario.
 */
export async function runMatrix(options: MatrixOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const plan of planStacks(options.scenarios, options.build !== false)) {
    const dataDir = path.join(options.dataDir, plan.name);
    await mkdir(dataDir, { recursive: true });
    const window = options.windowSeconds ? `, ingestion window ${options.windowSeconds} s` : '';
    options.log?.(`starting the local stack ${plan.name}${plan.withBreaker ? ' with the circuit breaker' : ''} (on disk: ${plan.restarts.join(', ') || 'no account of its own'}${window})`);
    const matrix = await MatrixStack.start({ dataDir, withBreaker: plan.withBreaker, build: plan.build, echo: options.echo, restarts: plan.restarts, windowSeconds: options.windowSeconds });
    options.onStack?.(matrix);
    try {
      for (const scenario of plan.scenarios) {
        const result = await runFaultScenario(matrix, scenario, options, options.scenarios.indexOf(scenario)).catch((error: unknown) => {
          // A scenario that could not finish is a failed row; the stack is put back in shape for the next one.
          matrix.stack.cosmosProxy.setMode({ kind: 'pass' });
          return failedResult(scenario, error);
        });
        results.push(result);
        options.onResult?.(result);
      }
    } finally {
      options.onStack?.(undefined);
      await matrix.stop();
    }
  }
  return results;
}

function failedResult(scenario: FaultScenario, error: unknown): ScenarioResult {
  const message = error instanceof Error ? error.message : String(error);
  const audit: AuditReport = {
    sent: 0, distinct: 0, applied: 0, superseded: 0, deadLettered: 0, parked: 0, lost: 0, lostEvents: [], devicesExpected: 0, devicesStored: 0, devicesOfRunStored: 0,
    devicesMismatched: [], queuedByCode: {}, parkedByCode: {}, unexpectedCodes: [], ok: false,
  };
  return {
    id: scenario.id, title: scenario.title, sent: 0, distinct: 0, applied: 0, superseded: 0, deadLettered: 0, parked: 0, lost: 0,
    duplicatesAbsorbed: 0, redelivered: 0, deliveries: { invocations: 0, deliveries: 0, distinctEvents: 0, duplicates: 0, redeliveredEvents: 0, retries: 0, failedInvocations: 0, unfinishedInvocations: 0, partitionOpens: 0, receiveErrors: 0 }, devicesMismatched: 0, deadLettersWritten: {}, reprocessor: {}, seconds: 0,
    passed: false, failures: [`did not complete: ${message}`], facts: {}, audit,
  };
}
