import { CosmosClient } from '@azure/cosmos';
import { ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { decodeDeadLetter, resolveDeadLetter, type DeadLetter } from '@telemetry/dead-letter';
import { comparableState, expectedStates, type ExpectedDevice } from '@telemetry/device-state/testing';
import type { SentEvent } from '@telemetry/simulator';
import type { StackDescriptor } from './stack-descriptor';

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
  const held: { messageId: string; popReceipt: string; text: string }[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    if (receivedMessageItems.length === 0) break;
    held.push(...receivedMessageItems.map((m) => ({ messageId: m.messageId, popReceipt: m.popReceipt, text: m.messageText })));
  }
  await Promise.all(held.map((m) => queue.updateMessage(m.messageId, m.popReceipt, undefined, 0).catch(() => undefined)));
  return held.map((m) => m.text);
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

const FIELDS = ['battery', 'flightMode', 'position', 'health'] as const;

/**
 * Accounts for every event the simulator sent: applied, superseded by a newer event of the same
 * device, or dead-lettered; and checks each device document against an independent model of the
 * merge rule. An event that is none of these is lost.
 */
export async function reconcile(d: StackDescriptor, sent: SentEvent[], sources: DeadLetterSource[]): Promise<Reconciliation> {
  const cosmos = new CosmosClient({ endpoint: d.cosmos.endpoint, key: d.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
  const { resources } = await cosmos.database(d.cosmos.database).container(d.cosmos.container).items.readAll().fetchAll();
  const stored = new Map(resources.map((doc) => [doc.id as string, comparableState(doc)]));
  const letters = (await Promise.all(sources.map((s) => s()))).flat();
  const deadShas = new Set(letters.map((l) => l.bodySha256));
  const byCode: Record<string, number> = {};
  for (const l of letters) byCode[l.issue.code] = (byCode[l.issue.code] ?? 0) + 1;

  const valid = sent.filter((e) => e.kind === 'valid' && e.telemetry);
  // Events dead-lettered (e.g. during a store outage) and not yet reprocessed are accounted for
  // there; the model of each device is then built from the events that were not.
  // A duplicate of a dead-lettered event may have been applied in another delivery: a device
  // matches when its document equals the model with or without its dead-lettered events.
  const expected = expectedStates(valid.filter((e) => !deadShas.has(e.sha256)).map((e) => e.telemetry!));
  const expectedWithAll = expectedStates(valid.map((e) => e.telemetry!));
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
  const mismatched: string[] = [];
  for (const [deviceId, model] of expected) {
    const doc = stored.get(deviceId);
    if (!same(doc, model) && !same(doc, expectedWithAll.get(deviceId))) mismatched.push(deviceId);
  }
  const mismatchedSet = new Set(mismatched);

  let applied = 0;
  let superseded = 0;
  let deadLettered = 0;
  const lost: SentEvent[] = [];
  for (const event of sent) {
    if (deadShas.has(event.sha256)) {
      deadLettered++;
      continue;
    }
    if (event.kind !== 'valid' || !event.telemetry || mismatchedSet.has(event.deviceId) || !stored.has(event.deviceId)) {
      lost.push(event);
      continue;
    }
    if (carriesStoredValue(event, stored.get(event.deviceId)!)) applied++;
    else superseded++;
  }
  return {
    sent: sent.length,
    applied,
    superseded,
    deadLettered,
    lost: lost.length,
    lostSamples: lost.slice(0, 10).map((e) => ({ index: e.index, deviceId: e.deviceId, kind: e.kind })),
    devicesExpected: expected.size,
    devicesStored: stored.size,
    devicesMismatched: mismatched,
    deadLettersByCode: byCode,
    ok: lost.length === 0 && mismatched.length === 0,
  };
}

function carriesStoredValue(event: SentEvent, doc: ExpectedDevice): boolean {
  const t = event.telemetry!;
  if (new Date(Date.parse(t.timestamp)).toISOString() === doc.lastEventTime) return true;
  return FIELDS.some((f) => t[f] !== undefined && JSON.stringify(sortKeys(t[f])) === JSON.stringify(sortKeys(doc[f])));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
