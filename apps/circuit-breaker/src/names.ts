import { BREAKER_STATUS_FUNCTION } from '@telemetry/contracts';

/** Function names of the breaker app (the Durable runtime addresses them by name). */
export const BREAKER_ENTITY = 'breaker';
/** One breaker per ingestion target. */
export const BREAKER_ENTITY_KEY = 'ingestion';
export const EPISODE_ORCHESTRATOR = 'breakerEpisode';
export const APPROVAL_EVENT = 'approval';
export const PAUSE_INGESTION_ACTIVITY = 'pauseIngestion';
export const RESUME_INGESTION_ACTIVITY = 'resumeIngestion';
export const NOTIFY_OPERATOR_ACTIVITY = 'notifyOperator';
export const READ_FAILURE_WINDOW_ACTIVITY = 'readFailureWindow';
export const MONITOR_FUNCTION = 'monitorFailures';
/** A function-scoped key opens it for status readers (the contract names it). */
export const STATUS_FUNCTION = BREAKER_STATUS_FUNCTION;
export const APPROVE_FUNCTION = 'approveResume';
export const TRIP_FUNCTION = 'tripBreaker';
export const SUMMARY_FUNCTION = 'breakerSummary';
