import * as z from '@telemetry/core/zod';

/** The circuit breaker's phase: closed (ingesting), open (paused), half-open (on trial). */
export const breakerPhaseSchema = z.enum(['closed', 'open', 'half-open']);
export type BreakerPhase = z.output<typeof breakerPhaseSchema>;

const failureCountsSchema = z.record(z.string(), z.number());

/** One recorded change of phase: who, why and when (ISO time). */
export const breakerTransitionSchema = z.object({
  from: breakerPhaseSchema,
  to: breakerPhaseSchema,
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  episode: z.number(),
  counts: z.optional(failureCountsSchema),
});
export type BreakerTransitionRecord = z.output<typeof breakerTransitionSchema>;

/**
 * The ingestion switch as the breaker last saw it. The phase is the breaker's decision; this says
 * whether the switch has carried it out: a breaker never claims ingestion paused or running
 * before the switch confirmed it (issue 13 item 9).
 */
export const breakerSwitchSchema = z.object({
  /** What the breaker wants of ingestion. */
  target: z.enum(['paused', 'running']),
  /** ok: the switch confirmed `target`; switching: a call is under way; failing: calls fail, retried with backoff without end. */
  state: z.enum(['ok', 'switching', 'failing']),
  /** When `state` began (ISO). */
  since: z.string(),
  /** Failed calls in a row (while failing). */
  attempts: z.optional(z.number().check(z.int())),
  /** The last failure's issue code and HTTP status, e.g. `UNKNOWN (HTTP 403)` (never a message: it could carry an endpoint or token). */
  lastError: z.optional(z.string()),
  /** When the next call is due (ISO, while failing). */
  nextAttemptAt: z.optional(z.string()),
});
export type BreakerSwitchReport = z.output<typeof breakerSwitchSchema>;

/**
 * The breaker app's function behind `GET /api/breaker`. Readers of the full status (the
 * reprocessor) hold a key scoped to this one function (Azure: `Microsoft.Web/sites/functions/keys`),
 * never a host key, which would also open the function-level `POST /api/breaker/trip`.
 */
export const BREAKER_STATUS_FUNCTION = 'breakerStatus';

/**
 * `GET /api/breaker` of apps/circuit-breaker (function key), and its anonymous subset
 * `GET /api/breaker/summary` (no names, no free text): the one definition its producer and
 * every reader share. Only `status` is required of an answer: readers tolerate an older or newer
 * breaker (unknown fields are ignored, parts optional); the producer always sends every field it has.
 */
export const breakerStatusSchema = z.object({
  status: breakerPhaseSchema,
  /** Increments on every closed -> open trip. */
  episode: z.optional(z.number().check(z.int())),
  /** When the current phase began (ISO). */
  since: z.optional(z.string()),
  /** The orchestration that owns the current episode. */
  instanceId: z.optional(z.string()),
  trip: z.optional(z.object({ reason: z.string(), by: z.string(), at: z.string(), counts: z.optional(failureCountsSchema) })),
  duplicateTrips: z.optional(z.number().check(z.int())),
  /** Most recent last, bounded. */
  transitions: z.optional(z.array(breakerTransitionSchema)),
  lastApproval: z.optional(z.object({ by: z.string(), at: z.string() })),
  /**
   * While an approval is offered: until when, and the breaker's approval page (no credential in
   * it: the operator brings the link they were sent, or signs in). `approveUrl` (the signed link)
   * was sent by breakers before issue 13 item 6 and is never sent now: a status reader must not
   * hold resume authority.
   */
  approval: z.optional(z.object({ expiresAt: z.string(), page: z.optional(z.string()), approveUrl: z.optional(z.string()) })),
  /** The ingestion switch: whether it reached what the phase implies (absent from older breakers). */
  switch: z.optional(breakerSwitchSchema),
  /** The episode orchestration's runtime status, when there is one. */
  episodeRuntime: z.optional(z.unknown()),
  /** The live failure window, or the code of the error reading it. */
  window: z.optional(z.unknown()),
  policy: z.optional(z.unknown()),
  /** The ingestion switch's description (adapter and target, never a credential). */
  target: z.optional(z.string()),
});
export type BreakerStatusReport = z.output<typeof breakerStatusSchema>;
