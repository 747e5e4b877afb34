import { CosmosClient } from '@azure/cosmos';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { decodeDeadLetter, RESOURCE_NAMES, type DeadLetter, type StackDescriptor } from '@telemetry/contracts';
import { resolveDeadLetter } from '@telemetry/azure-storage-queue';
import { TableParkingStore } from '@telemetry/azure-tables';
import type { SentEvent } from '@telemetry/simulator';

export interface Reconciliation {
  sent: number;
  /** Valid events whose value is what their device document holds (the newest for a field, or the last event time). */
  applied: number;
  /** Valid events whose every field was overtaken by a newer event of the same device. */
  superseded: number;
  /** Events found in the dead-letter queue, its poison queue or the parking store. */
  deadLettered: number;
  /** Events that are none of the above: must be 0. */
  lost: number;
  lostSamples: { index: number; deviceId: string; kind: string }[];
  devicesExpected: number;
  devicesStored: number;
  /** Devices whose document differs from the independent model of the merge rule. */
  devicesMismatched: string[];
  deadLettersByCode: Record<string, number>;
  ok: boolean;
}

/**
 * Reads every message of a queue without consuming it: receive (hidden briefly), then make each
 * visible again. Each read adds one to the messages' dequeueCount.
 */
export async function readQueue(queue: QueueClient): Promise<string[]> {
  if (!(await queue.exists())) return [];
  // By message id, with its latest pop receipt (needed to make it visible again).
  const held = new Map<string, { popReceipt: string; text: string }>();
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    if (receivedMessageItems.length === 0) break;
    // A message seen again became visible while the queue was read (a long read on a loaded machine): all were read.
    const again = receivedMessageItems.some((m) => held.has(m.messageId));
    for (const m of receivedMessageItems) held.set(m.messageId, { popReceipt: m.popReceipt, text: m.messageText });
    if (again) break;
  }
  await Promise.all([...held].map(([id, m]) => queue.updateMessage(id, m.popReceipt, undefined, 0).catch(() => undefined)));
  return [...held.values()].map((m) => m.text);
}

export type DeadLetterSource = () => Promise<DeadLetter[]>;

/** Dead letters resting in the dead-letter queue and its `-poison` queue. */
export function queueDeadLetters(d: StackDescriptor): DeadLetterSource {
  return async () => {
    const claimChecks = new ContainerClient(d.storage.connectionString, d.queues.claimCheckContainer);
    const texts = [
      ...(await readQueue(new QueueClient(d.storage.connectionString, d.queues.deadLetter))),
      ...(await readQueue(new QueueClient(d.storage.connectionString, `${d.queues.deadLetter}-poison`))),
    ];
    const letters: DeadLetter[] = [];
    for (const text of texts) {
      try {
        letters.push(await resolveDeadLetter(decodeDeadLetter(text), claimChecks));
      } catch {
        // not a dead letter: ignored by the audit (and visible to operators in the queue)
      }
    }
    return letters;
  };
}

/** Dead letters the reprocessor parked (Table storage), full letters with their original bytes. */
export function parkedDeadLetters(d: StackDescriptor): DeadLetterSource {
  return async () => {
    const table = TableClient.fromConnectionString(d.storage.connectionString, d.queues.parkingTable ?? RESOURCE_NAMES.parkingTable, { allowInsecureConnection: true });
    const store = new TableParkingStore(table, new ContainerClient(d.storage.connectionString, d.queues.claimCheckContainer));
    const letters: DeadLetter[] = [];
    try {
      for await (const summary of store.list()) {
        const entry = await store.get(summary.id);
        if (entry) letters.push(entry.letter);
      }
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error; // no table yet: nothing parked
    }
    return letters;
  };
}

/** Every place a dead letter can rest in the local stack. */
export const allDeadLetterSources = (d: StackDescriptor): DeadLetterSource[] => [queueDeadLetters(d), parkedDeadLetters(d)];

const FIELDS = ['battery', 'flightMode', 'position', 'health'] as const;
type Field = (typeof FIELDS)[number];
interface Stamp {
  at: number;
  key: string;
}

// The merge rule's order, written independently of libs/device-state: newer timestamp wins,
// equal timestamps are ordered by the value's canonical form.
function canonical(value: unknown): string {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('latitude' in v) return `${v['latitude']}|${v['longitude']}|${v['altitude']}`;
    return `${+!!v['gyrometerOK']}${+!!v['accelerometerOK']}${+!!v['magnetometerOK']}`;
  }
  return String(value);
}
const compare = (a: Stamp, b: Stamp): number => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const maxStamp = (stamps: Stamp[]): Stamp | undefined => stamps.reduce<Stamp | undefined>((m, s) => (!m || compare(s, m) > 0 ? s : m), undefined);

type StoredDoc = Record<string, unknown> & { fieldTimes?: Partial<Record<Field, string>>; lastEventTime?: string };

/**
 * A device document is consistent with what was sent when, for every field, its value is one
 * that some sent event carried, no older than the newest event that was not dead-lettered (so no
 * applied event was lost), and no newer than the newest event sent. Dead-lettered events may or
 * may not have reached the store (a timed-out write can still land): both are accepted.
 */
export function deviceConsistent(doc: StoredDoc | undefined, events: SentEvent[], dead: Set<string>): boolean {
  const live = events.filter((e) => !dead.has(e.sha256));
  if (!doc) return live.length === 0;
  const time = (e: SentEvent): number => Date.parse(e.telemetry!.timestamp);
  for (const field of FIELDS) {
    const stampOf = (e: SentEvent): Stamp => ({ at: time(e), key: canonical(e.telemetry![field]) });
    const carriers = events.filter((e) => e.telemetry![field] !== undefined);
    const lower = maxStamp(live.filter((e) => e.telemetry![field] !== undefined).map(stampOf));
    const upper = maxStamp(carriers.map(stampOf));
    const value = doc[field];
    const at = doc.fieldTimes?.[field];
    if (value === undefined || at === undefined) {
      if (lower) return false;
      continue;
    }
    const stored: Stamp = { at: Date.parse(at), key: canonical(value) };
    if (!carriers.some((e) => compare(stampOf(e), stored) === 0)) return false;
    if ((lower && compare(stored, lower) < 0) || (upper && compare(stored, upper) > 0)) return false;
  }
  const last = Date.parse(String(doc.lastEventTime));
  const liveMax = Math.max(-Infinity, ...live.map(time));
  return events.some((e) => time(e) === last) && last >= liveMax;
}

/**
 * Accounts for every event the simulator sent: applied, superseded by a newer event of the same
 * device, or dead-lettered (queue, poison queue or parking store); and audits each device
 * document against an independent model of the merge rule. An event that is none of these is lost.
 */
export async function reconcile(d: StackDescriptor, sent: SentEvent[], sources: DeadLetterSource[]): Promise<Reconciliation> {
  const cosmos = new CosmosClient({ endpoint: d.cosmos.endpoint, key: d.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
  const { resources } = await cosmos.database(d.cosmos.database).container(d.cosmos.container).items.readAll<StoredDoc>().fetchAll();
  const stored = new Map(resources.map((doc) => [String(doc['id']), doc]));
  const letters = (await Promise.all(sources.map((s) => s()))).flat();
  const dead = new Set(letters.map((l) => l.bodySha256));
  const byCode: Record<string, number> = {};
  for (const l of letters) byCode[l.issue.code] = (byCode[l.issue.code] ?? 0) + 1;

  const validByDevice = new Map<string, SentEvent[]>();
  for (const e of sent) if (e.kind === 'valid' && e.telemetry) validByDevice.set(e.deviceId, [...(validByDevice.get(e.deviceId) ?? []), e]);
  const mismatched = [...validByDevice].filter(([id, events]) => !deviceConsistent(stored.get(id), events, dead)).map(([id]) => id);
  const mismatchedSet = new Set(mismatched);
  const expectedDevices = [...validByDevice].filter(([, events]) => events.some((e) => !dead.has(e.sha256))).length;

  let applied = 0;
  let superseded = 0;
  let deadLettered = 0;
  const lost: SentEvent[] = [];
  for (const event of sent) {
    if (dead.has(event.sha256)) {
      deadLettered++;
      continue;
    }
    const doc = stored.get(event.deviceId);
    if (event.kind !== 'valid' || !event.telemetry || mismatchedSet.has(event.deviceId) || !doc) {
      lost.push(event);
      continue;
    }
    if (carriesStoredValue(event, doc)) applied++;
    else superseded++;
  }
  return {
    sent: sent.length,
    applied,
    superseded,
    deadLettered,
    lost: lost.length,
    lostSamples: lost.slice(0, 10).map((e) => ({ index: e.index, deviceId: e.deviceId, kind: e.kind })),
    devicesExpected: expectedDevices,
    devicesStored: stored.size,
    devicesMismatched: mismatched,
    deadLettersByCode: byCode,
    ok: lost.length === 0 && mismatched.length === 0,
  };
}

/** True when the event is what its device document holds for some field, or its newest time. */
function carriesStoredValue(event: SentEvent, doc: StoredDoc): boolean {
  const t = event.telemetry!;
  const at = Date.parse(t.timestamp);
  if (Date.parse(String(doc.lastEventTime)) === at) return true;
  return FIELDS.some((f) => t[f] !== undefined && doc.fieldTimes?.[f] !== undefined && Date.parse(doc.fieldTimes[f]!) === at && canonical(doc[f]) === canonical(t[f]));
}
