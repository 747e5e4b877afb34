export { start, type EventHubsEmulator } from './emulator';
export { resolveConfig, readConfigFile, ConfigError, type EmulatorOptions, type EmulatorConfig, type HubOptions, type ConfigFile } from './config';
export { emulatorConnectionString } from './connection-string';
export { partitionForKey } from './service/partition-key';
export { spawnEmulator, type SpawnEmulatorOptions, type SpawnedEmulator } from './spawn-emulator';
export { parseCliOptions } from './cli-options';
export { benchEmulator, type BenchOptions, type BenchResult } from './bench';
