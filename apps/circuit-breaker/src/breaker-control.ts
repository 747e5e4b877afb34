import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { initialBreakerState, type BreakerState } from '@telemetry/breaker-rules';
import type { ApprovalEvent, EpisodeInput } from './episode-contract';
import { APPROVAL_EVENT, BREAKER_ENTITY, BREAKER_ENTITY_KEY, EPISODE_ORCHESTRATOR } from './names';

export interface EpisodeStatus {
  runtimeStatus: string;
  customStatus: unknown;
}

/** What the client-side functions (monitor, HTTP) need from Durable: a port, so handlers stay testable. */
export interface BreakerControl {
  readState(): Promise<BreakerState>;
  startEpisode(input: EpisodeInput): Promise<string>;
  raiseApproval(instanceId: string, event: ApprovalEvent): Promise<void>;
  episodeStatus(instanceId: string): Promise<EpisodeStatus | undefined>;
  /**
   * The orchestration's runtime status (`Running`, `Failed`, ...), undefined when Durable knows no
   * such instance; throws when Durable cannot be asked (never taken for "gone").
   */
  episodeRuntimeStatus(instanceId: string): Promise<string | undefined>;
}

/** Runtime statuses of an orchestration that will never act again. */
export const ENDED_RUNTIME_STATUSES: ReadonlySet<string> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

export function durableBreakerControl(client: DurableClient): BreakerControl {
  const breaker = new df.EntityId(BREAKER_ENTITY, BREAKER_ENTITY_KEY);
  return {
    async readState() {
      const response = await client.readEntityState<BreakerState>(breaker);
      return response.entityExists && response.entityState ? response.entityState : initialBreakerState();
    },
    startEpisode: (input) => client.startNew(EPISODE_ORCHESTRATOR, { input }),
    raiseApproval: (instanceId, event) => client.raiseEvent(instanceId, APPROVAL_EVENT, event),
    async episodeStatus(instanceId) {
      const status = await client.getStatus(instanceId).catch(() => undefined);
      return status ? { runtimeStatus: String(status.runtimeStatus), customStatus: status.customStatus } : undefined;
    },
    async episodeRuntimeStatus(instanceId) {
      try {
        return String((await client.getStatus(instanceId)).runtimeStatus);
      } catch (error) {
        // durable-functions v3 answers an unknown instance with this error (the extension's 404).
        if (error instanceof Error && /replied with HTTP 404 response/.test(error.message)) return undefined;
        throw error;
      }
    },
  };
}
