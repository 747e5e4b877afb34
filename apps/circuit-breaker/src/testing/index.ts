// The Durable replay harness lives with the durable-functions internals it relies on (tools/durable-internals).
export { OrchestrationReplay, runEntityBatch, type EntityBatchResult, type EntityOperation, type ReplayAction, type ReplayStep } from '@telemetry/durable-internals';
export * from './in-memory-breaker-control';
export * from './test-services';
