import type { AmqpError } from 'rhea';

/** AMQP error conditions the SDK maps to its error codes (see functions-host-facts.md). */
export type Condition =
  | 'amqp:not-found'
  | 'amqp:unauthorized-access'
  | 'amqp:link:message-size-exceeded'
  | 'amqp:link:stolen'
  | 'amqp:resource-limit-exceeded'
  | 'amqp:invalid-field'
  | 'amqp:not-implemented'
  | 'amqp:internal-error'
  | 'com.microsoft:argument-error'
  | 'com.microsoft:argument-out-of-range';

export function amqpError(condition: Condition, description: string): AmqpError {
  return { condition, description };
}

/** The SDK recognises MessagingEntityNotFoundError by this description pattern. */
export function notFound(host: string, path: string): AmqpError {
  return amqpError('amqp:not-found', `The messaging entity 'sb://${host}/${path}' could not be found. status-code: 404`);
}

/** What the service says about a partition id the hub does not have (send, receive or READ). */
export const INVALID_PARTITION_DESCRIPTION = 'The specified partition is invalid for an EventHub partition sender or receiver.';

/**
 * A partition id outside the hub's partitions: the service answers `com.microsoft:argument-out-of-range`
 * (BadRequest), which @azure/core-amqp maps to ArgumentOutOfRangeError, not retryable
 * (core-amqp src/errors.ts ConditionErrorNameMapper; @azure/event-hubs test/public/node/client.spec.ts
 * expects this description for getPartitionProperties, sendBatch and receive).
 */
export function invalidPartition(): AmqpError {
  return amqpError('com.microsoft:argument-out-of-range', INVALID_PARTITION_DESCRIPTION);
}
