import { RestError } from '@azure/storage-queue';
import { LocalHostError } from '../errors';
import type { BindingClients } from './binding-clients';
import { resolveBindingExpression } from './binding-data';
import type { OutputBindingRequest } from './output-binding-writers';
import { asItems, itemBytes } from './rpc-values';

/** The service's limit on one message (64 KiB, after encoding); Azurite enforces it too (413). */
const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * `output.storageQueue`: one message per item (an array is several messages), strings as they
 * are, objects as JSON, bytes as bytes; encoded with host.json `queues.messageEncoding` (base64 by
 * default, as the extension does for output too); the queue is created when missing.
 */
export async function writeQueueOutput(request: OutputBindingRequest, clients: BindingClients): Promise<void> {
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const binding = request.binding as { queueName?: string; connection?: string };
  const queueName = resolveBindingExpression(request.settings.resolve(binding.queueName ?? '', usedBy), request.bindingData, usedBy).toLowerCase();
  const queue = clients.queueService(binding.connection, usedBy).getQueueClient(queueName);
  const base64 = request.hostJson.extensions.queues.messageEncoding === 'base64';
  const messages = asItems(request.value)
    .filter((item) => item !== undefined && item !== null)
    .map((item) => (base64 ? itemBytes(item).toString('base64') : typeof item === 'string' ? item : itemBytes(item).toString('utf8')));
  for (const text of messages) {
    if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) throw new LocalHostError('BINDING_FAILED', `queue message for ${usedBy} is over 64 KiB after encoding`, 'bind');
  }
  let created = false;
  for (const text of messages) {
    try {
      await queue.sendMessage(text);
    } catch (thrown) {
      if (created || !(thrown instanceof RestError && thrown.statusCode === 404)) throw thrown;
      await queue.createIfNotExists();
      created = true;
      await queue.sendMessage(text);
    }
  }
}
