/**
 * The rhea internals this server relies on, in one place. rhea's typings do not describe
 * them, so this is the one module allowed to reach past the types (see each comment).
 */
import type { Delivery, Receiver, Sender } from 'rhea';

/* eslint-disable @typescript-eslint/no-explicit-any -- rhea internals have no typings */

/** Sets fields of the attach frame we answer with (sent after the open handler returns). */
export function setLocalAttach(link: Sender | Receiver, fields: Record<string, unknown>): void {
  const attach = (link as any).local.attach as Record<string, unknown>;
  Object.assign(attach, fields);
}

/**
 * Deliveries this sender may still queue: rhea counts credit down only when a transfer is
 * written, so subtract deliveries queued but not yet written; and never overrun the
 * session's outgoing buffer.
 */
export function sendCapacity(sender: Sender, issued: number): number {
  const link = sender as any;
  const credit = (link.credit as number) - (issued - (link.delivery_count as number));
  const sessionRoom = link.session.outgoing.available() as number;
  return Math.min(credit, sessionRoom);
}

/** Sends an already-encoded AMQP message (format 0), pre-settled when the link says so. */
export function sendEncoded(sender: Sender, bytes: Buffer): void {
  (sender as any).send(bytes, undefined, 0);
}

/** The raw payload and message format of a delivery whose format is not 0 (rhea leaves it encoded). */
export function deliveryFormat(delivery: Delivery): number {
  return ((delivery as any).format as number | undefined) ?? 0;
}

/** The remote attach's source filter map, as rhea decoded it. */
export function remoteSourceFilter(link: Sender | Receiver): unknown {
  return (link as any).remote?.attach?.source?.filter;
}
