import type { Container } from '@azure/cosmos';
import * as z from '@telemetry/core/zod';
import { RESOURCE_NAMES } from '@telemetry/contracts';
import { intSetting, optionalSetting, serviceUrlSetting } from '@telemetry/function-app-kit';
import { connectCosmos } from './cosmos-connection';
import { CosmosDeviceStateStore } from './cosmos-device-state-store';

/** The Cosmos settings every app that reads or writes device state shares (same names everywhere). */
export const cosmosSettingsShape = {
  /** Cosmos DB account endpoint. */
  COSMOS_ENDPOINT: serviceUrlSetting(),
  /** Local emulator only; in Azure the managed identity is used. */
  COSMOS_KEY: optionalSetting(z.string().check(z.minLength(1))),
  COSMOS_DATABASE: z._default(z.string().check(z.minLength(1)), RESOURCE_NAMES.cosmosDatabase),
  COSMOS_CONTAINER: z._default(z.string().check(z.minLength(1)), RESOURCE_NAMES.cosmosContainer),
  /** SDK request timeout (ms), at most 2 minutes. */
  COSMOS_REQUEST_TIMEOUT_MS: intSetting(5_000, 1, 120_000),
  /** User-assigned managed identity client id (Azure only). */
  AZURE_CLIENT_ID: optionalSetting(z.string()),
};

export interface StoreDefaults {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  callTimeoutMs: number;
  concurrency: number;
  cacheSize: number;
}

/** The device-state store's tuning settings; each app picks defaults that fit its load. */
export function storeSettingsShape(d: StoreDefaults) {
  return {
    /** Store attempts per device (first try included). */
    // Upper bounds keep a typo (an extra zero or three) from holding a batch past the function
    // timeout or an instance's memory: values are checked at start, not discovered under load.
    STORE_MAX_ATTEMPTS: intSetting(d.maxAttempts, 1, 20),
    /** Backoff base and cap (ms), base <= cap (checkStoreSettings); the cap also bounds a retry-after. */
    STORE_RETRY_BASE_MS: intSetting(d.retryBaseMs, 1, 60_000),
    STORE_RETRY_MAX_MS: intSetting(d.retryMaxMs, 1, 300_000),
    /** Cap on one store call (ms); the SDK's own reconnect retries can otherwise take ~10 s. */
    STORE_CALL_TIMEOUT_MS: intSetting(d.callTimeoutMs, 1, 120_000),
    /** Devices (or bulk requests) written in parallel. */
    STORE_CONCURRENCY: intSetting(d.concurrency, 1, 1_000),
    /** Devices whose ETag + state an instance remembers (about 1 KB each: 1,000,000 is ~1 GB). */
    STORE_CACHE_SIZE: intSetting(d.cacheSize, 1, 1_000_000),
  };
}

/** Cross-setting check for an app schema holding storeSettingsShape: the backoff base may not exceed its cap. */
export const storeRetryOrder = z.refine<{ STORE_RETRY_BASE_MS: number; STORE_RETRY_MAX_MS: number }>(
  (s) => s.STORE_RETRY_BASE_MS <= s.STORE_RETRY_MAX_MS,
  { message: 'STORE_RETRY_BASE_MS may not exceed STORE_RETRY_MAX_MS', path: ['STORE_RETRY_BASE_MS'] },
);

type CosmosSettings = z.output<z.ZodMiniObject<typeof cosmosSettingsShape>>;
type StoreSettings = { [K in keyof ReturnType<typeof storeSettingsShape>]: number };

/** The device-state container, from the shared settings. */
export function containerFromSettings(s: CosmosSettings): Container {
  return connectCosmos({
    endpoint: s.COSMOS_ENDPOINT,
    key: s.COSMOS_KEY,
    database: s.COSMOS_DATABASE,
    container: s.COSMOS_CONTAINER,
    managedIdentityClientId: s.AZURE_CLIENT_ID,
    requestTimeoutMs: s.COSMOS_REQUEST_TIMEOUT_MS,
  }).container;
}

/** The device-state store, from the shared settings. */
export function deviceStateStoreFromSettings(s: CosmosSettings & StoreSettings): CosmosDeviceStateStore {
  return new CosmosDeviceStateStore(containerFromSettings(s), {
    retry: { maxAttempts: s.STORE_MAX_ATTEMPTS, initialDelayMs: s.STORE_RETRY_BASE_MS, maxDelayMs: s.STORE_RETRY_MAX_MS },
    concurrency: s.STORE_CONCURRENCY,
    cacheSize: s.STORE_CACHE_SIZE,
    callTimeoutMs: s.STORE_CALL_TIMEOUT_MS,
  });
}
