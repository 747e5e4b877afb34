import type { Message } from 'rhea';
import type { EmulatorConfig } from '../config';
import { checkSasToken, type SasRight } from '../service/sas';
import type { Grant } from './connection-state';
import { parseResource, resourceCovers } from '../service/sas-audience';
import { INVALID_PARTITION_DESCRIPTION } from './conditions';
import type { Namespace } from './namespace';

export interface Reply {
  status: number;
  description: string;
  condition?: string;
  body?: unknown;
}

const unauthorized = (description: string): { reply: Reply } => ({ reply: { status: 401, condition: 'amqp:unauthorized-access', description } });

/**
 * `$cbs` put-token: without a configured key every token is accepted (like the Docker
 * emulator); with one the SAS must verify against the rule's keys, be unexpired, and its
 * resource (`sr`) must cover the claimed audience (`name`), as on the service: a token is valid
 * for its resource URI and everything below it (401 otherwise). A token for an unknown hub gets
 * 404, which the SDK turns into MessagingEntityNotFoundError. Returns the entity path the claim
 * grants (lower-case segments; `[]` for the whole namespace) when it succeeds.
 */
export function handlePutToken(request: Message, namespace: Namespace, config: EmulatorConfig): { reply: Reply; grant?: Grant } {
  const props = (request.application_properties ?? {}) as Record<string, unknown>;
  if (props.operation !== 'put-token') return { reply: { status: 400, condition: 'amqp:not-implemented', description: `unsupported $cbs operation ${String(props.operation)}` } };
  const audience = typeof props.name === 'string' ? props.name : '';
  const token: unknown = request.body;
  let claimed: ReturnType<typeof parseResource>;
  try {
    claimed = parseResource(decodeURIComponent(audience));
  } catch {
    claimed = parseResource(audience);
  }
  let rights: SasRight[] = ['Manage', 'Send', 'Listen'];
  if (config.sas) {
    const check = typeof token === 'string' ? checkSasToken(token, [config.sas, ...config.sasRules]) : ({ ok: false, reason: 'malformed' } as const);
    if (!check.ok) return unauthorized(`InvalidSignature: The token is not valid (${check.reason}).`);
    if (!resourceCovers(parseResource(check.resource), claimed)) {
      return unauthorized(`InvalidAudience: The token's resource '${check.resource}' does not cover the audience '${audience}'.`);
    }
    rights = check.rights;
  }
  const hub = claimed.segments[0];
  if (hub === undefined) return { reply: { status: 202, description: 'Accepted' }, grant: { path: [], rights } };
  if (!namespace.hub(hub)) {
    return { reply: { status: 404, condition: 'amqp:not-found', description: `The messaging entity '${audience}' could not be found. status-code: 404` } };
  }
  return { reply: { status: 202, description: 'Accepted' }, grant: { path: claimed.segments, rights } };
}

/** `$management` READ of `com.microsoft:eventhub` and `com.microsoft:partition`. */
export function handleManagement(request: Message, namespace: Namespace, isAuthorized: (entityPath: string) => boolean): Reply {
  const props = (request.application_properties ?? {}) as Record<string, unknown>;
  const name = typeof props.name === 'string' ? props.name : '';
  if (props.operation !== 'READ') return { status: 400, condition: 'amqp:not-implemented', description: `unsupported operation ${String(props.operation)}` };
  const hub = namespace.hub(name);
  if (!hub) return { status: 404, condition: 'amqp:not-found', description: `The messaging entity '${namespace.host}/${name}' could not be found. status-code: 404` };
  if (!isAuthorized(`${hub.name}/$management`)) return { status: 401, condition: 'amqp:unauthorized-access', description: 'Unauthorized: no valid token for this entity.' };
  if (props.type === 'com.microsoft:eventhub') {
    return { status: 200, description: 'OK', body: { name: hub.name, created_at: hub.createdAt, partition_count: hub.partitions.length, partition_ids: hub.partitionIds, type: 'com.microsoft:eventhub' } };
  }
  if (props.type === 'com.microsoft:partition') {
    const partitionId = String(props.partition ?? '');
    const partition = hub.partition(partitionId);
    if (!partition) {
      // The service's answer (argument-out-of-range, 400), which the SDK maps to ArgumentOutOfRangeError.
      return { status: 400, condition: 'com.microsoft:argument-out-of-range', description: INVALID_PARTITION_DESCRIPTION };
    }
    const p = partition.properties();
    return {
      status: 200,
      description: 'OK',
      body: {
        name: hub.name,
        type: 'com.microsoft:partition',
        partition: partition.id,
        begin_sequence_number: p.beginningSequenceNumber,
        last_enqueued_sequence_number: p.lastEnqueuedSequenceNumber,
        last_enqueued_offset: String(p.lastEnqueuedOffset),
        last_enqueued_time_utc: new Date(p.lastEnqueuedMs),
        is_partition_empty: p.isEmpty,
      },
    };
  }
  return { status: 400, condition: 'com.microsoft:argument-error', description: `unsupported type ${String(props.type)}` };
}
