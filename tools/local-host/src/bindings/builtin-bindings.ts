import type { InputBindingResolver, InputBindingResolvers } from '../invocation/input-binding-resolvers';
import type { BindingClients } from './binding-clients';
import { readCosmosInput, writeCosmosOutput } from './cosmos-binding';
import { writeEventHubOutput } from './eventhub-output';
import type { OutputBindingWriter, OutputBindingWriters } from './output-binding-writers';
import { readBlobInput, writeBlobOutput } from './storage-blob-binding';
import { writeQueueOutput } from './storage-queue-output';
import { readTableInput, writeTableOutput } from './table-binding';

/**
 * The bindings the local host provides against the local stack (Azurite, the Cosmos server, the
 * Event Hubs emulator): inputs blob/table/cosmosDB, outputs blob/queue/table/cosmosDB/eventHub.
 * Registered after plugins and only where no resolver/writer exists yet, so a plugin or caller can
 * replace any of them.
 */
export function registerBuiltinBindings(inputs: InputBindingResolvers, outputs: OutputBindingWriters, clients: BindingClients): void {
  const input = (type: string, resolver: InputBindingResolver): void => void (inputs.get(type) ?? inputs.register(type, resolver));
  const output = (type: string, writer: OutputBindingWriter): void => void (outputs.get(type) ?? outputs.register(type, writer));
  input('blob', (r) => readBlobInput(r, clients));
  input('table', (r) => readTableInput(r, clients));
  input('cosmosDB', (r) => readCosmosInput(r, clients));
  output('blob', (r) => writeBlobOutput(r, clients));
  output('queue', (r) => writeQueueOutput(r, clients));
  output('table', (r) => writeTableOutput(r, clients));
  output('cosmosDB', (r) => writeCosmosOutput(r, clients));
  output('eventHub', (r) => writeEventHubOutput(r, clients));
}
