import { ContainerClient, RestError } from '@azure/storage-blob';
import type { AppSettings } from '../../config/app-settings';
import type { TimerSchedule } from './timer-schedule';

/** A timer's recorded schedule status, as the extension stores it (PascalCase JSON, ISO dates). */
export interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

/** .NET's default(DateTime), which the extension writes for "never ran". */
export const NEVER = '0001-01-01T00:00:00Z';
const isNever = (value: string | undefined): boolean => !value || Date.parse(value) <= Date.parse(NEVER);

export interface ScheduleMonitor {
  get(): Promise<ScheduleStatus | undefined>;
  /** Best effort, as the extension's UpdateStatusAsync. */
  update(status: ScheduleStatus): Promise<void>;
}

/**
 * The extension's StorageScheduleMonitor: one blob per timer, `timers/{hostId}/{timerName}/status`
 * in container `azure-webjobs-hosts` of AzureWebJobsStorage (azure-webjobs-sdk-extensions
 * src/WebJobs.Extensions/Extensions/Timers/Scheduling/StorageScheduleMonitor.cs); the Functions
 * host names script functions' timers `Host.Functions.<name>`.
 */
export class BlobScheduleMonitor implements ScheduleMonitor {
  private readonly container: ContainerClient;
  private readonly blob;

  constructor(connectionString: string, hostId: string, functionName: string) {
    this.container = new ContainerClient(connectionString, 'azure-webjobs-hosts');
    this.blob = this.container.getBlockBlobClient(`timers/${hostId}/Host.Functions.${functionName}/status`);
  }

  async get(): Promise<ScheduleStatus | undefined> {
    try {
      return JSON.parse((await this.blob.downloadToBuffer()).toString('utf8')) as ScheduleStatus;
    } catch (thrown) {
      if (thrown instanceof RestError && thrown.statusCode === 404) return undefined;
      throw thrown;
    }
  }

  async update(status: ScheduleStatus): Promise<void> {
    const text = JSON.stringify(status);
    try {
      await this.blob.upload(text, Buffer.byteLength(text));
    } catch (thrown) {
      if (!(thrown instanceof RestError && thrown.statusCode === 404)) throw thrown;
      await this.container.createIfNotExists();
      await this.blob.upload(text, Buffer.byteLength(text));
    }
  }
}

/**
 * The host id the status blobs are kept under: setting `AzureFunctionsWebHost__hostid`, else the
 * site name as the host derives it (WEBSITE_SITE_NAME lower-cased, at most 32 characters, no
 * trailing '-'), else the app folder's name the same way (a local stand-in for the site).
 */
export function hostIdOf(settings: AppSettings, appName: string): string {
  const explicit = settings.get('AzureFunctionsWebHost__hostid');
  if (explicit) return explicit;
  const site = settings.get('WEBSITE_SITE_NAME') ?? appName;
  return site.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 32).replace(/-+$/, '') || 'local-host';
}

/**
 * ScheduleMonitor.CheckPastDueAsync: without a status, record one (Next = the next occurrence) and
 * report not past due; with one, recompute Next from Last (or LastUpdated) to notice a changed
 * schedule (a changed schedule whose occurrence already passed restarts from now, so it is not
 * past due); past due when now is after the recorded Next.
 */
export async function checkPastDue(monitor: ScheduleMonitor, schedule: TimerSchedule, now: Date): Promise<{ pastDue: boolean; status: ScheduleStatus }> {
  const recorded = await monitor.get();
  if (!recorded) {
    const status = { Last: NEVER, Next: schedule.next(now).toISOString(), LastUpdated: now.toISOString() };
    await monitor.update(status);
    return { pastDue: false, status };
  }
  let status = recorded;
  const base = !isNever(recorded.Last) ? new Date(recorded.Last) : !isNever(recorded.LastUpdated) ? new Date(recorded.LastUpdated) : now;
  let expected = schedule.next(base);
  if (Date.parse(recorded.Next) !== expected.getTime()) {
    let updated = base;
    if (now > expected) {
      expected = schedule.next(now);
      updated = now;
    }
    status = { Last: NEVER, Next: expected.toISOString(), LastUpdated: updated.toISOString() };
    await monitor.update(status);
  }
  return { pastDue: now.getTime() > Date.parse(status.Next), status };
}
