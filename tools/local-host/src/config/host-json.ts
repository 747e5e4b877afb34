import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { LocalHostError } from '../errors';
import { applyHostJsonOverrides } from './host-json-overrides';

const timeSpan = z.union([z.string(), z.number()]);

const eventHubs = z.object({
  maxEventBatchSize: z.number().int().min(1).default(100),
  minEventBatchSize: z.number().int().min(1).default(1),
  batchCheckpointFrequency: z.number().int().min(1).default(1),
  prefetchCount: z.number().int().min(0).default(300),
  /** Used only when minEventBatchSize > 1. */
  maxWaitTime: timeSpan.default('00:01:00'),
  initialOffsetOptions: z
    .object({ type: z.enum(['fromStart', 'fromEnd', 'fromEnqueuedTime']).default('fromStart'), enqueuedTimeUtc: z.string().optional() })
    .default({ type: 'fromStart' }),
  /** Processor load balancing (EventProcessorOptions): how often ownership is renewed/claimed. */
  loadBalancingUpdateInterval: timeSpan.default('00:00:10'),
  /** Ownership older than this is up for grabs (another instance may claim it). */
  partitionOwnershipExpirationInterval: timeSpan.default('00:01:00'),
});

const queues = z.object({
  batchSize: z.number().int().min(1).max(32).default(16),
  /** Default batchSize/2 x cores, computed by the queue driver. */
  newBatchThreshold: z.number().int().min(0).optional(),
  /** 2 s is the host's development default (1 min in Azure). */
  maxPollingInterval: timeSpan.default('00:00:02'),
  visibilityTimeout: timeSpan.default('00:00:00'),
  maxDequeueCount: z.number().int().min(1).default(5),
  messageEncoding: z.enum(['base64', 'none']).default('base64'),
});

const http = z.object({ routePrefix: z.string().default('api') });

/** `logging.logLevel`: category (or prefix, or `default`) -> minimum level; checked by LogLevelFilter. */
const logging = z.looseObject({ logLevel: z.record(z.string(), z.string()).optional() });

const schema = z.looseObject({
  version: z.string().optional(),
  logging: logging.optional(),
  extensions: z.looseObject({ eventHubs, queues, http }),
});

export type HostJson = z.infer<typeof schema>;
export type EventHubsHostOptions = z.infer<typeof eventHubs>;
export type QueuesHostOptions = z.infer<typeof queues>;

/** Parses host.json once, filling the host's defaults; fails naming every bad key. */
export function parseHostJson(raw: unknown): Readonly<HostJson> {
  const source = (raw ?? {}) as { extensions?: Record<string, unknown> };
  const withSections = { ...source, extensions: { eventHubs: {}, queues: {}, http: {}, ...(source.extensions ?? {}) } };
  const parsed = schema.safeParse(withSections);
  if (!parsed.success) {
    const keys = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new LocalHostError('HOST_JSON_INVALID', `host.json is invalid: ${keys}`, 'config');
  }
  return Object.freeze(parsed.data);
}

/**
 * host.json of an app, with the app settings that override its values (`AzureFunctionsJobHost__*`)
 * applied. App settings are the process environment (LocalHost.start sets them before reading this).
 */
export function readHostJson(file: string, settings: Record<string, string | undefined> = process.env): Readonly<HostJson> {
  return parseHostJson(applyHostJsonOverrides(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}, settings));
}
