import type { DequeuedMessageItem } from '@azure/storage-queue';
import type { RpcTypedData } from '../../core/core-types';

const dateJson = (d: Date | undefined): RpcTypedData => ({ json: JSON.stringify(d ? d.toISOString() : null) });

/** The message text after host.json `messageEncoding` (base64 by default); undefined when it is not valid base64. */
export function decodeMessage(text: string, encoding: 'base64' | 'none'): Buffer | undefined {
  if (encoding !== 'base64') return Buffer.from(text, 'utf8');
  // As .NET's Convert.FromBase64String, which the Storage Queues client decodes with: white space is
  // skipped, anything else outside the alphabet, or a length that is not a multiple of 4, fails
  // (Buffer.from would decode such text leniently into garbage).
  const compact = text.replace(/[ \t\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Trigger input: raw bytes for `dataType: 'binary'`, otherwise the text (the library JSON-parses it if it can). */
export function queueInput(body: Buffer, dataType: unknown): RpcTypedData {
  return dataType === 'binary' ? { bytes: body } : { string: body.toString('utf8') };
}

/** Queue trigger metadata with the host's names (the library camel-cases them). */
export function queueTriggerMetadata(message: DequeuedMessageItem, body: Buffer): Record<string, RpcTypedData> {
  return {
    QueueTrigger: { string: body.toString('utf8') },
    DequeueCount: { int: message.dequeueCount },
    ExpirationTime: dateJson(message.expiresOn),
    Id: { string: message.messageId },
    InsertionTime: dateJson(message.insertedOn),
    NextVisibleTime: dateJson(message.nextVisibleOn),
    PopReceipt: { string: message.popReceipt },
  };
}
