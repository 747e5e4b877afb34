/**
 * Unit prices the monthly estimate uses: pay-as-you-go list prices, region East US, currency USD.
 * Each carries the page it is published on (`source`), where the figure was read (`seenAt`) and
 * when (`asOf`). Prices change: re-check every `source` before relying on an estimate, and update
 * `asOf` with the figure. `verified: false` marks a figure this table could not re-read on its
 * official page on `asOf` (the official pages render prices with script); treat those as the
 * long-standing list price, to confirm in the Azure pricing calculator.
 */
export interface UnitPrice {
  usd: number;
  per: string;
  source: string;
  seenAt: string;
  asOf: string;
  verified: boolean;
}

export const REGION = 'East US';
export const CURRENCY = 'USD';
/** Azure prices a month as 730 hours. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export const PRICES = {
  eventHubsStandardThroughputUnitHour: {
    usd: 0.03,
    per: 'throughput unit-hour (Standard)',
    source: 'https://azure.microsoft.com/pricing/details/event-hubs/',
    seenAt: 'https://azure.microsoft.com/pricing/details/event-hubs/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  eventHubsStandardIngressMillionEvents: {
    usd: 0.028,
    per: 'million ingress events (64 KB units, Standard)',
    source: 'https://azure.microsoft.com/pricing/details/event-hubs/',
    seenAt: 'https://azure.microsoft.com/pricing/details/event-hubs/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  functionsFlexOnDemandGbSecond: {
    usd: 0.000026,
    per: 'GB-second of on-demand execution (Flex Consumption)',
    source: 'https://azure.microsoft.com/pricing/details/functions/',
    seenAt: 'https://modal.com/blog/azure-function-pricing-guide (2025-05-22, East US)',
    asOf: '2026-12-01',
    verified: true,
  },
  functionsFlexOnDemandMillionExecutions: {
    usd: 0.4,
    per: 'million on-demand executions (Flex Consumption)',
    source: 'https://azure.microsoft.com/pricing/details/functions/',
    seenAt: 'https://azure.microsoft.com/pricing/details/functions/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  cosmosServerlessMillionRu: {
    usd: 0.25,
    per: 'million request units (serverless)',
    source: 'https://azure.microsoft.com/pricing/details/cosmos-db/serverless/',
    seenAt: 'https://azure.microsoft.com/pricing/details/cosmos-db/serverless/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  cosmosProvisioned100RuHour: {
    usd: 0.008,
    per: '100 RU/s-hour (standard provisioned, single region)',
    source: 'https://azure.microsoft.com/pricing/details/cosmos-db/standard-provisioned/',
    seenAt: 'https://azure.microsoft.com/pricing/details/cosmos-db/standard-provisioned/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  cosmosStorageGbMonth: {
    usd: 0.25,
    per: 'GB-month of transactional storage',
    source: 'https://azure.microsoft.com/pricing/details/cosmos-db/standard-provisioned/',
    seenAt: 'https://azure.microsoft.com/pricing/details/cosmos-db/standard-provisioned/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  blobHotOtherTenThousand: {
    usd: 0.005,
    per: '10,000 "all other" operations (Set Blob Metadata, lease renewals; block blob, Hot, LRS, GPv2)',
    source: 'https://azure.microsoft.com/pricing/details/storage/blobs/ (operation types: https://learn.microsoft.com/azure/storage/blobs/map-rest-apis-transaction-categories)',
    seenAt: 'https://azure.microsoft.com/pricing/details/storage/blobs/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  blobHotWriteTenThousand: {
    usd: 0.065,
    per: '10,000 write operations (Put Blob: the window\'s watermarks; block blob, Hot, LRS, GPv2)',
    source: 'https://azure.microsoft.com/pricing/details/storage/blobs/ (operation types: https://learn.microsoft.com/azure/storage/blobs/map-rest-apis-transaction-categories)',
    seenAt: 'https://azure.microsoft.com/pricing/details/storage/blobs/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  blobListTenThousand: {
    usd: 0.065,
    per: '10,000 list and create container operations (List Blobs; GPv2, billed at the Hot rate)',
    source: 'https://azure.microsoft.com/pricing/details/storage/blobs/ (operation types: https://learn.microsoft.com/azure/storage/blobs/map-rest-apis-transaction-categories)',
    seenAt: 'https://azure.microsoft.com/pricing/details/storage/blobs/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
  queueTenThousand: {
    usd: 0.004,
    per: '10,000 queue operations (GPv2, LRS)',
    source: 'https://azure.microsoft.com/pricing/details/storage/queues/',
    seenAt: 'https://azure.microsoft.com/pricing/details/storage/queues/ (USD list price)',
    asOf: '2026-12-01',
    verified: false,
  },
} as const satisfies Record<string, UnitPrice>;

/**
 * Monthly free grant of Flex Consumption on-demand execution, per subscription: 100,000 GB-s and
 * 250,000 executions (https://azure.microsoft.com/pricing/details/functions/; seen at
 * https://go2share.net/article/azure-function-flex-consumption on 2026-12-01).
 */
export const FLEX_FREE_GB_SECONDS = 100_000;
export const FLEX_FREE_EXECUTIONS = 250_000;
