import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, configFileSchema, readConfigFile, type EmulatorOptions, type HubOptions } from './config';

/** Parses `name:partitions[:cg1,cg2]`. */
export function parseHubFlag(value: string): HubOptions {
  const [name = '', partitions = '', groups] = value.split(':');
  const count = Number(partitions);
  if (!name || !Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`expected name:partitions[:cg1,cg2], got "${value}"`);
  return { name, partitions: count, consumerGroups: groups ? groups.split(',').filter(Boolean) : [] };
}

function parseNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`not a number: "${value}"`);
  return n;
}

/**
 * Environment variable carrying the SAS key (with `--sas-key-name` or the config file's
 * `sasKeyName`). There is no key flag: a command line is readable by every user of the machine
 * (`/proc/<pid>/cmdline`), an environment only by its owner.
 */
export const SAS_KEY_ENV = 'EVENTHUBS_EMULATOR_SAS_KEY';
/** Environment variable with more rules as JSON: `[{ "keyName", "key", "rights": ["Listen"] }]` (the config file's `sasRules`). */
export const SAS_RULES_ENV = 'EVENTHUBS_EMULATOR_SAS_RULES';

/** CLI flags (over an optional --config file, and env SAS_KEY_ENV for the key) to emulator options. */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): EmulatorOptions {
  const program = new Command('eventhubs-emulator')
    .description('Local Azure Event Hubs (AMQP 1.0) for the real @azure/event-hubs clients')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', parseNumber)
    .option('--data <dir>', 'data folder for partition logs (default: a temp folder)')
    .option('--hub <name:partitions[:cg1,cg2]>', 'an event hub (repeatable)', (v: string, all: HubOptions[]) => [...all, parseHubFlag(v)], [] as HubOptions[])
    .option('--config <file>', 'JSON config file (flags override it)')
    .option('--sas-key-name <name>', `require SAS tokens signed with this rule (its key in env ${SAS_KEY_ENV} or the config file)`)
    .option('--retention-hours <hours>', 'drop events older than this (default 24)', parseNumber)
    .option('--retention-mb <mb>', 'per partition: drop the oldest events beyond this size', parseNumber)
    .option('--fsync', 'fsync every write before acknowledging (survives power loss, slower)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) });
  program.parse([...argv], { from: 'user' });
  const flags = program.opts<{
    port?: number; data?: string; hub: HubOptions[]; config?: string; sasKeyName?: string;
    retentionHours?: number; retentionMb?: number; fsync?: boolean;
  }>();
  const file = flags.config ? readConfigFile(flags.config) : undefined;
  const keyName = flags.sasKeyName ?? file?.sasKeyName;
  const key = env[SAS_KEY_ENV] || file?.sasKey;
  if ((keyName === undefined) !== (key === undefined)) throw new ConfigError(`--sas-key-name (or sasKeyName) and the key (env ${SAS_KEY_ENV} or sasKey) go together`);
  const options: EmulatorOptions = { hubs: flags.hub.length > 0 ? flags.hub : (file?.hubs ?? []) };
  const port = flags.port ?? file?.port;
  if (port !== undefined) options.port = port;
  const dataDir = flags.data ?? file?.dataDir;
  if (dataDir !== undefined) options.dataDir = dataDir;
  if (keyName !== undefined && key !== undefined) options.sas = { keyName, key, ...(file?.sasSecondaryKey ? { secondaryKey: file.sasSecondaryKey } : {}) };
  const rulesFromEnv = env[SAS_RULES_ENV];
  if (rulesFromEnv) {
    const parsed = configFileSchema.shape.sasRules.safeParse(JSON.parse(rulesFromEnv));
    if (!parsed.success) throw new ConfigError(`${SAS_RULES_ENV}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    options.sasRules = parsed.data ?? [];
  } else if (file?.sasRules) {
    options.sasRules = file.sasRules;
  }
  const retentionHours = flags.retentionHours ?? file?.retentionHours;
  if (retentionHours !== undefined) options.retentionHours = retentionHours;
  const retentionMb = flags.retentionMb ?? file?.retentionMb;
  if (retentionMb !== undefined) options.retentionMb = retentionMb;
  const fsync = flags.fsync ?? file?.fsync;
  if (fsync !== undefined) options.fsync = fsync;
  return options;
}
