/**
 * How long a failure count can matter (ms): the breaker prunes buckets older than this (KEEP_MS,
 * one hour, in apps/circuit-breaker monitorFailures.ts), so no window it reads reaches further back,
 * whatever BREAKER_WINDOW_SECONDS or BREAKER_PROBE_SECONDS say. Writers drop counts older than this
 * instead of writing rows that only prune would read. Keep the two equal.
 */
export const FAILURE_RETENTION_MS = 3_600_000;
