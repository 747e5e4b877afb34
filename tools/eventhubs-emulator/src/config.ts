import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SasRule } from './service/sas';
import { ConfigError } from '@telemetry/core';

const HUB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/;

const hubSchema = z.object({
  name: z.string().regex(HUB_NAME, 'letters, digits, ".", "_" or "-"'),
  partitions: z.number().int().min(1).max(1024),
  consumerGroups: z.array(z.string().min(1)).default([]),
});

/** The JSON config file (every field optional but `hubs`); CLI flags override it. */
export const configFileSchema = z
  .object({
    port: z.number().int().min(0).max(65535).optional(),
    dataDir: z.string().min(1).optional(),
    hubs: z.array(hubSchema).default([]),
    sasKeyName: z.string().min(1).optional(),
    sasKey: z.string().min(1).optional(),
    sasSecondaryKey: z.string().min(1).optional(),
    /** More authorization rules, e.g. a Listen-only one for consumers. */
    sasRules: z.array(z.object({ keyName: z.string().min(1), key: z.string().min(1), secondaryKey: z.string().min(1).optional(), rights: z.array(z.enum(['Manage', 'Send', 'Listen'])).min(1).optional() }).strict()).optional(),
    retentionHours: z.number().positive().optional(),
    retentionMb: z.number().positive().optional(),
    fsync: z.boolean().optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;

export interface HubOptions {
  name: string;
  partitions: number;
  /** Extra consumer groups; `$Default` always exists. */
  consumerGroups?: string[];
}

export interface EmulatorOptions {
  /** 0 (default) lets the OS pick a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Where partition logs live; a fresh temp folder when omitted. */
  dataDir?: string;
  hubs: HubOptions[];
  /**
   * With a rule, put-token requests must carry a SAS signed with its key (or secondary key),
   * unexpired, whose resource covers the claimed entity.
   */
  sas?: SasRule;
  /** More rules besides `sas` (which connection strings carry), e.g. `{ keyName: 'ListenOnly', key, rights: ['Listen'] }`. */
  sasRules?: SasRule[];
  /** Drop segments whose newest event is older than this (the service default is 24 h). */
  retentionHours?: number;
  /** Per partition: drop oldest segments beyond this size (an emulator knob; the service has none). */
  retentionMb?: number;
  /** fsync each write before acknowledging (default false: see PartitionLog). */
  fsync?: boolean;
  /** Segment file size before rolling (bytes). */
  segmentBytes?: number;
  /** Recent events kept in memory per partition (bytes). */
  cacheBytes?: number;
  /** Largest accepted transfer (event or batch), in bytes: 1 MB like Standard tier. */
  maxMessageBytes?: number;
  /** How often retention runs (ms). */
  retentionIntervalMs?: number;
  /** Structured log sink; defaults to JSON lines on stderr. */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface EmulatorConfig {
  readonly port: number;
  readonly dataDir?: string;
  readonly hubs: readonly Readonly<{ name: string; partitions: number; consumerGroups: readonly string[] }>[];
  readonly sas?: Readonly<SasRule>;
  readonly sasRules: readonly Readonly<SasRule>[];
  readonly retentionMs?: number;
  readonly retentionBytes?: number;
  readonly fsync: boolean;
  readonly segmentBytes: number;
  readonly cacheBytes: number;
  readonly maxMessageBytes: number;
  readonly retentionIntervalMs: number;
}

// The workspace's one configuration error (libs/core): emulator options are settings too.
export { ConfigError };

const MB = 1024 * 1024;

/** Validates options once into a frozen config; throws naming every bad setting. */
export function resolveConfig(options: EmulatorOptions): EmulatorConfig {
  const problems: string[] = [];
  if (options.hubs.length === 0) problems.push('hubs: at least one hub is required');
  const names = new Set<string>();
  options.hubs.forEach((hub, i) => {
    const parsed = hubSchema.safeParse(hub);
    if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`hubs[${i}].${issue.path.join('.')}: ${issue.message}`);
    if (names.has(hub.name)) problems.push(`hubs[${i}].name: duplicate hub "${hub.name}"`);
    names.add(hub.name);
  });
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) problems.push(`port: ${options.port} is not a port`);
  if (options.sas && (!options.sas.keyName || !options.sas.key)) problems.push('sas: keyName and key are both required');
  if (options.sasRules?.length && !options.sas) problems.push('sasRules: need sas (the rule connection strings carry)');
  options.sasRules?.forEach((rule, i) => {
    if (!rule.keyName || !rule.key) problems.push(`sasRules[${i}]: keyName and key are both required`);
  });
  if (options.retentionHours !== undefined && !(options.retentionHours > 0)) problems.push('retentionHours: must be > 0');
  if (options.retentionMb !== undefined && !(options.retentionMb > 0)) problems.push('retentionMb: must be > 0');
  if (problems.length > 0) throw new ConfigError(`invalid emulator settings:\n  ${problems.join('\n  ')}`);
  const retentionBytes = options.retentionMb === undefined ? undefined : Math.floor(options.retentionMb * MB);
  // Smaller segments when a size limit is set, so retention can drop in fine steps.
  const defaultSegment = retentionBytes === undefined ? 16 * MB : Math.min(16 * MB, Math.max(64 * 1024, Math.floor(retentionBytes / 8)));
  return Object.freeze({
    port: options.port ?? 0,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    hubs: Object.freeze(
      options.hubs.map((hub) =>
        Object.freeze({ name: hub.name, partitions: hub.partitions, consumerGroups: Object.freeze(['$Default', ...(hub.consumerGroups ?? []).filter((cg) => cg !== '$Default')]) }),
      ),
    ),
    ...(options.sas ? { sas: Object.freeze({ ...options.sas }) } : {}),
    sasRules: Object.freeze((options.sasRules ?? []).map((rule) => Object.freeze({ ...rule }))),
    retentionMs: (options.retentionHours ?? 24) * 3600_000,
    ...(retentionBytes === undefined ? {} : { retentionBytes }),
    fsync: options.fsync ?? false,
    segmentBytes: options.segmentBytes ?? defaultSegment,
    cacheBytes: options.cacheBytes ?? 64 * MB,
    maxMessageBytes: options.maxMessageBytes ?? MB,
    retentionIntervalMs: options.retentionIntervalMs ?? 60_000,
  });
}

/** Reads a JSON config file; throws naming the file and every bad key. */
export function readConfigFile(file: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`invalid config file ${file}:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
