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
  | 'com.microsoft:argument-error';

export function amqpError(condition: Condition, description: string): AmqpError {
  return { condition, description };
}

/** The SDK recognises MessagingEntityNotFoundError by this description pattern. */
export function notFound(host: string, path: string): AmqpError {
  return amqpError('amqp:not-found', `The messaging entity 'sb://${host}/${path}' could not be found. status-code: 404`);
}
