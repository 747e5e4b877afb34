import { RestError } from '@azure/storage-blob';
import type { RpcTypedData } from '../core/core-types';
import { LocalHostError } from '../errors';
import type { InputBindingRequest } from '../invocation/input-binding-resolvers';
import type { BindingClients } from './binding-clients';
import { resolveBindingExpression } from './binding-data';
import type { OutputBindingRequest } from './output-binding-writers';
import { itemBytes } from './rpc-values';

interface BlobBinding {
  path?: string;
  connection?: string;
  dataType?: string;
}

function splitPath(path: string, usedBy: string): { container: string; blob: string } {
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new LocalHostError('BINDING_FAILED', `blob path "${path}" of ${usedBy} must be "<container>/<blob>"`, 'bind');
  return { container: path.slice(0, slash), blob: path.slice(slash + 1) };
}

function blobPath(request: InputBindingRequest | OutputBindingRequest): { container: string; blob: string } {
  const binding = request.binding as BlobBinding;
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const path = resolveBindingExpression(request.settings.resolve(binding.path ?? '', usedBy), request.bindingData, usedBy);
  return splitPath(path, usedBy);
}

/**
 * `input.storageBlob`: the blob's content, bytes (a Buffer in the worker) unless `dataType` is
 * `string`; a blob that does not exist binds null, as in the Blobs extension (BlobAttribute input
 * with a missing blob gives null).
 */
export async function readBlobInput(request: InputBindingRequest, clients: BindingClients): Promise<RpcTypedData | undefined> {
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const { container, blob } = blobPath(request);
  const client = clients.blobService((request.binding as BlobBinding).connection, usedBy).getContainerClient(container).getBlobClient(blob);
  try {
    const content = await client.downloadToBuffer();
    return (request.binding as BlobBinding).dataType === 'string' ? { string: content.toString('utf8') } : { bytes: content };
  } catch (thrown) {
    if (thrown instanceof RestError && thrown.statusCode === 404) return undefined;
    throw thrown;
  }
}

/**
 * `output.storageBlob`: writes (overwrites) the blob with the value: a string as UTF-8, bytes as
 * they are, anything else as JSON; the container is created when missing, as the extension does.
 */
export async function writeBlobOutput(request: OutputBindingRequest, clients: BindingClients): Promise<void> {
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const { container, blob } = blobPath(request);
  const containerClient = clients.blobService((request.binding as BlobBinding).connection, usedBy).getContainerClient(container);
  const body = itemBytes(request.value);
  const upload = (): Promise<unknown> => containerClient.getBlockBlobClient(blob).uploadData(body);
  try {
    await upload();
  } catch (thrown) {
    if (!(thrown instanceof RestError && thrown.statusCode === 404)) throw thrown;
    await containerClient.createIfNotExists();
    await upload();
  }
}
