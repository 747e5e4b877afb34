import { z } from 'zod';

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
  counts: failureCountsSchema.optional(),
});
export type BreakerTransitionRecord = z.output<typeof breakerTransitionSchema>;

/**
 * `GET /api/breaker` of apps/circuit-breaker (function key): the one definition its producer and
 * every reader share. Only `status` is required of an answer: readers tolerate an older or newer
 * breaker (unknown fields are ignored, parts optional); the producer always sends every field it has.
 */
export const breakerStatusSchema = z.object({
  status: breakerPhaseSchema,
  /** Increments on every closed -> open trip. */
  episode: z.number().int().optional(),
  /** When the current phase began (ISO). */
  since: z.string().optional(),
  /** The orchestration that owns the current episode. */
  instanceId: z.string().optional(),
  trip: z.object({ reason: z.string(), by: z.string(), at: z.string(), counts: failureCountsSchema.optional() }).optional(),
  duplicateTrips: z.number().int().optional(),
  /** Most recent last, bounded. */
  transitions: z.array(breakerTransitionSchema).optional(),
  lastApproval: z.object({ by: z.string(), at: z.string() }).optional(),
  /** While an approval is offered: its signed, single-use link (POST submits it; the token is the credential). */
  approval: z.object({ expiresAt: z.string(), approveUrl: z.string() }).optional(),
  /** The episode orchestration's runtime status, when there is one. */
  episodeRuntime: z.unknown().optional(),
  /** The live failure window, or the code of the error reading it. */
  window: z.unknown().optional(),
  policy: z.unknown().optional(),
  /** The ingestion switch's description (adapter and target, never a credential). */
  target: z.string().optional(),
});
export type BreakerStatusReport = z.output<typeof breakerStatusSchema>;
