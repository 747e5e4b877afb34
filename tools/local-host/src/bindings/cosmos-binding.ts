import type { Container } from '@azure/cosmos';
import type { RpcTypedData } from '../core/core-types';
import { LocalHostError } from '../errors';
import type { InputBindingRequest } from '../invocation/input-binding-resolvers';
import type { BindingClients } from './binding-clients';
import { resolveBindingExpression } from './binding-data';
import type { OutputBindingRequest } from './output-binding-writers';
import { asItems } from './rpc-values';

/** The Cosmos DB extension 4.x binding properties (`collectionName` is the 3.x name). */
interface CosmosBinding {
  databaseName?: string;
  containerName?: string;
  collectionName?: string;
  connection?: string;
  id?: string;
  partitionKey?: string;
  sqlQuery?: string;
  createIfNotExists?: boolean;
  containerThroughput?: number;
}

function names(request: InputBindingRequest | OutputBindingRequest): { database: string; container: string; usedBy: string } {
  const binding = request.binding as CosmosBinding;
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const database = request.settings.resolve(binding.databaseName ?? '', usedBy);
  const container = request.settings.resolve(binding.containerName ?? binding.collectionName ?? '', usedBy);
  if (!database || !container) throw new LocalHostError('BINDING_FAILED', `cosmosDB binding ${usedBy} needs databaseName and containerName`, 'bind');
  return { database, container, usedBy };
}

const status = (thrown: unknown): number | undefined => (thrown as { code?: unknown }).code as number | undefined;

/**
 * `input.cosmosDB`: with `id` (and `partitionKey`) one document, null when missing; with
 * `sqlQuery` an array, `{name}` expressions in the query passed as parameters `@name`, as the
 * extension does (CosmosDBSqlResolutionPolicy turns them into SqlParameters, never text).
 */
export async function readCosmosInput(request: InputBindingRequest, clients: BindingClients): Promise<RpcTypedData | undefined> {
  const binding = request.binding as CosmosBinding;
  const { database, container, usedBy } = names(request);
  const data = request.bindingData;
  const target = clients.cosmosClient(binding.connection, usedBy).database(database).container(container);
  if (binding.sqlQuery) {
    const parameters: { name: string; value: string }[] = [];
    const query = request.settings.resolve(binding.sqlQuery, usedBy).replace(/\{([^{}]+)\}/g, (_m, expression: string) => {
      const name = `@${expression.trim().replace(/[^A-Za-z0-9_]/g, '_')}`;
      if (!parameters.some((p) => p.name === name)) parameters.push({ name, value: resolveBindingExpression(`{${expression}}`, data, usedBy) });
      return name;
    });
    const { resources } = await target.items.query({ query, parameters }).fetchAll();
    return { json: JSON.stringify(resources) };
  }
  const id = resolveBindingExpression(request.settings.resolve(binding.id ?? '', usedBy), data, usedBy);
  if (!id) throw new LocalHostError('BINDING_FAILED', `cosmosDB input ${usedBy} needs id or sqlQuery`, 'bind');
  const partitionKey = binding.partitionKey ? resolveBindingExpression(request.settings.resolve(binding.partitionKey, usedBy), data, usedBy) : id;
  try {
    const { resource } = await target.item(id, partitionKey).read();
    return resource === undefined ? undefined : { json: JSON.stringify(resource) };
  } catch (thrown) {
    if (status(thrown) === 404) return undefined;
    throw thrown;
  }
}

/** Containers already created by createIfNotExists, per client (created once, as the extension's collector is). */
const ensured = new WeakMap<object, Set<string>>();

async function outputContainer(request: OutputBindingRequest, clients: BindingClients): Promise<Container> {
  const binding = request.binding as CosmosBinding;
  const { database, container, usedBy } = names(request);
  const client = clients.cosmosClient(binding.connection, usedBy);
  const done = ensured.get(client) ?? new Set<string>();
  ensured.set(client, done);
  if (!binding.createIfNotExists || done.has(`${database}/${container}`)) return client.database(database).container(container);
  // createIfNotExists: the database and the container (partition key path `partitionKey`, default /id).
  const { database: db } = await client.databases.createIfNotExists({ id: database });
  const { container: created } = await db.containers.createIfNotExists({
    id: container,
    partitionKey: { paths: [binding.partitionKey || '/id'] },
    ...(binding.containerThroughput ? { throughput: binding.containerThroughput } : {}),
  });
  done.add(`${database}/${container}`);
  return created;
}

/**
 * `output.cosmosDB`: upserts each item (an array is several), as the extension's
 * CosmosDBAsyncCollector does; without `createIfNotExists` a missing database or container fails
 * the invocation (404).
 */
export async function writeCosmosOutput(request: OutputBindingRequest, clients: BindingClients): Promise<void> {
  const container = await outputContainer(request, clients);
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  for (const item of asItems(request.value)) {
    if (!item || typeof item !== 'object' || Array.isArray(item) || Buffer.isBuffer(item)) throw new LocalHostError('BINDING_FAILED', `cosmosDB output of ${usedBy} takes JSON objects`, 'bind');
    await container.items.upsert(item as Record<string, unknown>);
  }
}
