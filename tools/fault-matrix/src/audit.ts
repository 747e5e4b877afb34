import { CosmosClient } from '@azure/cosmos';
import type { DeadLetter, StackDescriptor } from '@telemetry/contracts';
import { parkedDeadLetters, queueDeadLetters, reconcile, type Reconciliation } from '@telemetry/local-stack';
import type { SentEvent } from '@telemetry/simulator';
import { applyClockRule } from './clock-rule';

export interface AuditOptions {
  /**
   * Connection string of the account holding the dead-letter queue, claim checks and parking
   * table (the apps' `DeadLetterStorage`), when it is not the stack's main storage account.
   */
  deadLetterStorage?: string;
  /** The apps' MAX_CLOCK_SKEW_SECONDS: the model refuses what the product's clock rule refuses (default 300). */
  maxClockSkewSeconds?: number;
}

/** One event the audit could not account for. */
export interface LostEvent {
  index: number;
  deviceId: string;
  kind: SentEvent['kind'];
  sha256: string;
  expectedCode?: string;
  duplicateOf?: number;
}

export interface AuditReport {
  sent: number;
  /** Distinct bodies among them (simulator duplicates repeat a body byte for byte). */
  distinct: number;
  /** Valid events whose value the device document holds. */
  applied: number;
  /** Valid events overtaken, field by field, by a newer event of the same device. */
  superseded: number;
  /** Events whose dead letter still rests in the dead-letter queue or its `-poison` queue. */
  deadLettered: number;
  /** Events whose dead letter the reprocessor parked for an operator (with reason and context). */
  parked: number;
  /** Events that are none of the above: must be 0. */
  lost: number;
  lostEvents: LostEvent[];
  devicesExpected: number;
  /** Documents in the container: this run's devices and any others (earlier runs on the same stack). */
  devicesStored: number;
  /** Of the devices this run expects, those that have a document. */
  devicesOfRunStored: number;
  /** Devices whose document differs from the independent model of the merge rule. */
  devicesMismatched: string[];
  /** This run's letters (their body is one the run sent), by issue code: resting in the queues, and parked. */
  queuedByCode: Record<string, number>;
  parkedByCode: Record<string, number>;
  /** Dead letters whose issue code is not the one the sent event expected (first 20). */
  unexpectedCodes: { index: number; expected: string; got: string }[];
  /** The clock rule in the model: events it expects dead-lettered EVENT_CLOCK_SKEW, and those too close to the threshold to tell. */
  clockRule?: { refused: number; ambiguous: number };
  ok: boolean;
}

const countByCode = (letters: DeadLetter[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const l of letters) out[l.issue.code] = (out[l.issue.code] ?? 0) + 1;
  return out;
};

/**
 * Accounts for every event sent, from what the stores hold: device documents (Cosmos), dead
 * letters resting in the queue and its poison queue, and parked letters. Built on the local
 * stack's `reconcile` (which also checks each device document against an independent model of
 * the merge rule, here with the device-clock rule applied first), splitting its dead letters into queued and parked and listing the lost events.
 */
export async function auditRun(descriptor: StackDescriptor, sentRecord: SentEvent[], options: AuditOptions = {}): Promise<AuditReport> {
  // The model applies the product's device-clock rule: an event it refuses must be dead-lettered with EVENT_CLOCK_SKEW.
  const clock = applyClockRule(sentRecord, { maxSkewSeconds: options.maxClockSkewSeconds });
  const sent = clock.events;
  const letterStore: StackDescriptor = options.deadLetterStorage
    ? { ...descriptor, storage: { connectionString: options.deadLetterStorage } }
    : descriptor;
  // Read each store once: reading a queue bumps its messages' dequeue counts.
  const [queued, parked] = await Promise.all([queueDeadLetters(letterStore)(), parkedDeadLetters(letterStore)()]);
  const r: Reconciliation = await reconcile(descriptor, sent, [async () => queued, async () => parked]);
  const parkedShas = new Set(parked.map((l) => l.bodySha256));
  const queuedShas = new Set(queued.map((l) => l.bodySha256));
  const deadShas = new Set([...parkedShas, ...queuedShas]);
  const parkedCount = sent.filter((e) => parkedShas.has(e.sha256)).length;
  const storedIds = await storedDeviceIds(descriptor);
  const lostEvents = r.lost === 0 ? [] : listLost(r, sent, deadShas, storedIds);
  // The queues and the parking table may hold other runs' letters: count this run's only.
  const sentShas = new Set(sent.map((e) => e.sha256));
  const ofRun = (letters: DeadLetter[]): DeadLetter[] => letters.filter((l) => sentShas.has(l.bodySha256));
  const runDevices = new Set(sent.filter((e) => e.kind === 'valid' && e.telemetry).map((e) => e.deviceId));
  return {
    sent: r.sent,
    distinct: new Set(sent.map((e) => e.sha256)).size,
    applied: r.applied,
    superseded: r.superseded,
    deadLettered: r.deadLettered - parkedCount,
    parked: parkedCount,
    lost: r.lost,
    lostEvents,
    devicesExpected: r.devicesExpected,
    devicesStored: r.devicesStored,
    devicesOfRunStored: [...runDevices].filter((id) => storedIds.has(id)).length,
    devicesMismatched: r.devicesMismatched,
    queuedByCode: countByCode(ofRun(queued)),
    parkedByCode: countByCode(ofRun(parked)),
    unexpectedCodes: unexpectedCodes(sent, [...queued, ...parked]),
    clockRule: { refused: clock.refused, ambiguous: clock.ambiguous.length },
    ok: r.ok,
  };
}

/**
 * The events reconcile counted as lost: not dead-lettered, and either not valid telemetry, or of
 * a device with no document or whose document does not match the model.
 */
function listLost(r: Reconciliation, sent: SentEvent[], dead: Set<string>, stored: Set<string>): LostEvent[] {
  const mismatched = new Set(r.devicesMismatched);
  return sent
    .filter((e) => !dead.has(e.sha256) && (e.kind !== 'valid' || !e.telemetry || mismatched.has(e.deviceId) || !stored.has(e.deviceId)))
    .map((e) => ({
      index: e.index, deviceId: e.deviceId, kind: e.kind, sha256: e.sha256,
      ...(e.expectedCode ? { expectedCode: e.expectedCode } : {}),
      ...(e.duplicateOf !== undefined ? { duplicateOf: e.duplicateOf } : {}),
    }));
}

async function storedDeviceIds(d: StackDescriptor): Promise<Set<string>> {
  const cosmos = new CosmosClient({ endpoint: d.cosmos.endpoint, key: d.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
  const { resources } = await cosmos.database(d.cosmos.database).container(d.cosmos.container).items.query<{ id: string }>('SELECT c.id FROM c').fetchAll();
  return new Set(resources.map((r) => r.id));
}

function unexpectedCodes(sent: SentEvent[], letters: DeadLetter[]): AuditReport['unexpectedCodes'] {
  const codeOf = new Map(letters.map((l) => [l.bodySha256, l.issue.code]));
  const out: AuditReport['unexpectedCodes'] = [];
  for (const e of sent) {
    const got = codeOf.get(e.sha256);
    if (e.expectedCode && got && got !== e.expectedCode) out.push({ index: e.index, expected: e.expectedCode, got });
    if (out.length >= 20) break;
  }
  return out;
}
