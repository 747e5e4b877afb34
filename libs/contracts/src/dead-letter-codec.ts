import { DEAD_LETTER_SCHEMA, type DeadLetter } from './dead-letter';

/** Azure Queue storage's limit on one message, as stored (after base64). */
export const MAX_QUEUE_MESSAGE_BYTES = 64 * 1024;

/**
 * Queue messages are base64 of the JSON's UTF-8, the Functions queue trigger's default
 * `messageEncoding`, so the reprocessor's trigger reads them unchanged.
 */
export function encodeDeadLetter(letter: DeadLetter): string {
  return Buffer.from(JSON.stringify(letter), 'utf8').toString('base64');
}

export function decodeDeadLetter(message: string | object): DeadLetter {
  let value: unknown = message;
  if (typeof message === 'string') {
    const text = message.trimStart().startsWith('{') ? message : Buffer.from(message, 'base64').toString('utf8');
    value = JSON.parse(text);
  }
  const letter = value as Partial<DeadLetter>;
  // Anyone who can write the queue writes these: the fields every reader formats (id, issue code)
  // must be text, or a letter such as `issue.code: {"toString": 1}` throws wherever it is printed
  // and can never be parked. Anything else is not a letter: it is wrapped and parked whole.
  if (letter?.schema !== DEAD_LETTER_SCHEMA || typeof letter.id !== 'string' || typeof letter.issue !== 'object' || letter.issue === null || typeof letter.issue.code !== 'string') {
    throw new Error('not a telemetry dead letter');
  }
  return letter as DeadLetter;
}

/** The queue-sized summary of a claim-checked letter: coordinates and issue, no payloads. */
export function claimCheckSummary(letter: DeadLetter, container: string, blobName: string, bytes: number): DeadLetter {
  return { ...letter, body: null, decoded: null, properties: {}, claimCheck: { container, blobName, bytes } };
}
