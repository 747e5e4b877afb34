import { RestError, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { RpcTypedData } from '../core/core-types';
import { LocalHostError } from '../errors';
import type { InputBindingRequest } from '../invocation/input-binding-resolvers';
import type { BindingClients } from './binding-clients';
import { resolveBindingExpression, type BindingData } from './binding-data';
import type { OutputBindingRequest } from './output-binding-writers';
import { asItems } from './rpc-values';

interface TableBinding {
  tableName?: string;
  partitionKey?: string;
  rowKey?: string;
  filter?: string;
  take?: number;
  connection?: string;
}

/** The Tables extension's batch limit (TableEntityWriter.MaxBatchSize). */
const MAX_BATCH = 100;

function resolved(value: string | undefined, request: InputBindingRequest | OutputBindingRequest, data: BindingData): string | undefined {
  if (value === undefined || value === '') return undefined;
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  return resolveBindingExpression(request.settings.resolve(value, usedBy), data, usedBy);
}

/** An entity as the extension hands it to a worker: PartitionKey, RowKey, Timestamp and the properties. */
function toWorkerEntity(entity: Record<string, unknown>): Record<string, unknown> {
  const { partitionKey, rowKey, timestamp, etag: _etag, ...rest } = entity;
  void _etag;
  return { PartitionKey: partitionKey, RowKey: rowKey, ...(timestamp ? { Timestamp: timestamp } : {}), ...rest };
}

/**
 * `input.table`: with partitionKey and rowKey one entity (null when missing); otherwise a query
 * (`filter`, `partitionKey`, `take`) returning an array, as the Tables extension binds JArray.
 */
export async function readTableInput(request: InputBindingRequest, clients: BindingClients): Promise<RpcTypedData | undefined> {
  const binding = request.binding as TableBinding;
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const data = request.bindingData;
  const table = clients.table(binding.connection, resolved(binding.tableName, request, data) ?? '', usedBy);
  const partitionKey = resolved(binding.partitionKey, request, data);
  const rowKey = resolved(binding.rowKey, request, data);
  if (partitionKey !== undefined && rowKey !== undefined) {
    try {
      return { json: JSON.stringify(toWorkerEntity(await table.getEntity(partitionKey, rowKey))) };
    } catch (thrown) {
      if (thrown instanceof RestError && thrown.statusCode === 404) return undefined;
      throw thrown;
    }
  }
  const filters = [partitionKey !== undefined ? `PartitionKey eq '${partitionKey.replace(/'/g, "''")}'` : undefined, resolved(binding.filter, request, data)].filter(Boolean);
  const take = typeof binding.take === 'number' && binding.take > 0 ? binding.take : undefined;
  const out: Record<string, unknown>[] = [];
  try {
    for await (const entity of table.listEntities({ queryOptions: filters.length ? { filter: filters.map((f) => `(${f})`).join(' and ') } : {} })) {
      out.push(toWorkerEntity(entity));
      if (take !== undefined && out.length >= take) break;
    }
  } catch (thrown) {
    if (!(thrown instanceof RestError && thrown.statusCode === 404)) throw thrown;
  }
  return { json: JSON.stringify(out) };
}

/** The service's key rules, checked before sending as the extension does (TableClientHelpers.ValidateAzureTableKeyValue). */
function validateKey(value: unknown, name: string, usedBy: string): string {
  if (typeof value !== 'string') throw new LocalHostError('BINDING_FAILED', `table entity for ${usedBy} needs a string ${name}`, 'bind');
  if (/[/\\#?\u0000-\u001f\u007f-\u009f]/.test(value) || value.length > 1024) {
    throw new LocalHostError('BINDING_FAILED', `${name} "${value}" of ${usedBy} has characters the Table service does not allow`, 'bind');
  }
  return value;
}

/**
 * `output.table`: each item (an array is several) is inserted as a new entity, grouped into
 * transactions of up to 100 per partition; an existing PartitionKey/RowKey fails the invocation
 * (409), as the extension's Add does; the table is created when missing (TableEntityWriter).
 */
export async function writeTableOutput(request: OutputBindingRequest, clients: BindingClients): Promise<void> {
  const binding = request.binding as TableBinding;
  const usedBy = `${request.registration.name}.${request.bindingName}`;
  const data = request.bindingData;
  const table = clients.table(binding.connection, resolved(binding.tableName, request, data) ?? '', usedBy);
  const defaultPartition = resolved(binding.partitionKey, request, data);
  const defaultRow = resolved(binding.rowKey, request, data);
  const partitions = new Map<string, TransactionAction[]>();
  for (const item of asItems(request.value)) {
    if (!item || typeof item !== 'object' || Array.isArray(item) || Buffer.isBuffer(item)) throw new LocalHostError('BINDING_FAILED', `table output of ${usedBy} takes objects`, 'bind');
    const { PartitionKey, RowKey, partitionKey: _p, rowKey: _r, ...properties } = item as Record<string, unknown>;
    const entity: TableEntity = {
      ...properties,
      partitionKey: validateKey(PartitionKey ?? _p ?? defaultPartition, 'PartitionKey', usedBy),
      rowKey: validateKey(RowKey ?? _r ?? defaultRow, 'RowKey', usedBy),
    };
    const actions = partitions.get(entity.partitionKey) ?? [];
    actions.push(['create', entity]);
    partitions.set(entity.partitionKey, actions);
  }
  let created = false;
  for (const actions of partitions.values()) {
    for (let i = 0; i < actions.length; i += MAX_BATCH) {
      const batch = actions.slice(i, i + MAX_BATCH);
      try {
        await table.submitTransaction(batch);
      } catch (thrown) {
        if (created || !(thrown instanceof RestError && thrown.statusCode === 404)) throw thrown;
        await table.createTable();
        created = true;
        await table.submitTransaction(batch);
      }
    }
  }
}
