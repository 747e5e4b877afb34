import { PipelineError, type IssueCode } from '@telemetry/core';
import { buildDeadLetter } from '@telemetry/dead-letter';
import { type DeadLetter } from '@telemetry/contracts';
import type { Telemetry } from '@telemetry/device-state';

let sequence = 0;

/** A dead letter as ingestion writes it: for a store failure `decoded` is set, for a bad body not. */
export function deadLetterFor(code: IssueCode, body: Buffer | Telemetry, options: { message?: string; partitionId?: string; partitionKey?: string | null; properties?: Record<string, unknown> } = {}): DeadLetter {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const decoded = Buffer.isBuffer(body) ? null : body;
  const deviceId = decoded?.deviceId ?? null;
  return buildDeadLetter({
    error: new PipelineError(code, options.message ?? `injected ${code}`),
    event: {
      body: bytes, partitionId: options.partitionId ?? '0', sequenceNumber: ++sequence, offset: String(sequence * 100),
      enqueuedTimeUtc: new Date(Date.UTC(2026, 10, 21, 22, 0, 0, sequence)).toISOString(), partitionKey: options.partitionKey === undefined ? deviceId : options.partitionKey,
      properties: options.properties ?? { source: 'test' },
    },
    source: { eventHubName: 'telemetry', consumerGroup: '$Default' },
    decoded,
    attempts: decoded ? 3 : 0,
    app: 'ingestion',
  });
}
