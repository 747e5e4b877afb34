import { applyBreakerCommand, initialBreakerState, type BreakerCommand, type BreakerState } from '@telemetry/breaker-rules';
import type { BreakerControl, EpisodeStatus } from '../breaker-control';
import type { ApprovalEvent, EpisodeInput } from '../episode-contract';

/**
 * Unit-test fake of the Durable client side: the entity state in memory; an approval event is
 * applied the way the episode orchestration does (entity `approve`), unless `deliver` is off.
 */
export class InMemoryBreakerControl implements BreakerControl {
  started: EpisodeInput[] = [];
  raised: Array<{ instanceId: string; event: ApprovalEvent }> = [];
  deliver = true;

  constructor(
    public state: BreakerState = initialBreakerState(),
    private readonly clock: () => number = Date.now,
  ) {}

  apply(command: BreakerCommand): void {
    this.state = applyBreakerCommand(this.state, command).state;
  }

  async readState(): Promise<BreakerState> {
    return structuredClone(this.state);
  }

  async startEpisode(input: EpisodeInput): Promise<string> {
    this.started.push(input);
    return `episode-${this.started.length}`;
  }

  async raiseApproval(instanceId: string, event: ApprovalEvent): Promise<void> {
    this.raised.push({ instanceId, event });
    if (this.deliver) this.apply({ op: 'approve', at: new Date(this.clock()).toISOString(), ...event });
  }

  /** Runtime statuses by instance id (unlisted: Running); `null` = Durable knows no such instance. */
  runtimeStatuses = new Map<string, string | null>();

  async episodeStatus(instanceId: string): Promise<EpisodeStatus | undefined> {
    const status = await this.episodeRuntimeStatus(instanceId);
    return status === undefined ? undefined : { runtimeStatus: status, customStatus: null };
  }

  async episodeRuntimeStatus(instanceId: string): Promise<string | undefined> {
    const status = this.runtimeStatuses.get(instanceId);
    return status === null ? undefined : (status ?? 'Running');
  }
}
