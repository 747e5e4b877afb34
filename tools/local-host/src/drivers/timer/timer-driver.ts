import { toError } from '../../errors';
import { abortableDelay } from '../../invocation/abortable-delay';
import { PausableDriver } from '../pausable-driver';
import { BlobScheduleMonitor, checkPastDue, type ScheduleMonitor, type ScheduleStatus } from './schedule-monitor';
import { parseTimerSchedule, type TimerSchedule } from './timer-schedule';

interface TimerTrigger {
  schedule?: string;
  runOnStartup?: boolean;
  useMonitor?: boolean;
}

/**
 * timerTrigger: NCRONTAB (UTC) or TimeSpan. One loop per timer, so invocations never overlap;
 * the next occurrence is computed after an invocation ends. With useMonitor (the default for
 * schedules of a minute or more) and AzureWebJobsStorage set, the schedule status lives in blob
 * storage as the extension keeps it: an occurrence missed while the host was down runs at start
 * with isPastDue true (TimerListener + ScheduleMonitor.CheckPastDueAsync). Without storage the
 * status is kept in memory only.
 */
export class TimerDriver extends PausableDriver {
  readonly triggerType = 'timerTrigger';
  private schedule?: TimerSchedule;
  private useMonitor = true;
  private loop?: Promise<void>;
  private abort = new AbortController();
  private last?: Date;
  private started = false;
  private monitor?: ScheduleMonitor;
  /** The recorded status (monitor only): what the function sees as scheduleStatus. */
  private status?: ScheduleStatus;

  async start(): Promise<void> {
    const { registration, settings, hostId, logger } = this.context;
    const trigger = registration.trigger as TimerTrigger;
    this.schedule = parseTimerSchedule(settings.resolve(trigger.schedule ?? '', registration.name));
    this.useMonitor = trigger.useMonitor ?? this.schedule.defaultUseMonitor;
    let pastDue = false;
    const storage = settings.get('AzureWebJobsStorage');
    if (this.useMonitor && storage && hostId && !this.started) {
      this.monitor = new BlobScheduleMonitor(storage, hostId, registration.name);
      try {
        const checked = await checkPastDue(this.monitor, this.schedule, new Date());
        pastDue = checked.pastDue;
        this.status = checked.status;
      } catch (thrown) {
        logger.log({ level: 'warning', functionName: registration.name, message: 'timer schedule status unreadable; continuing without past-due detection', fields: { error: toError(thrown).message } });
      }
    }
    this.run(!this.started && (trigger.runOnStartup === true || pastDue), pastDue);
    this.started = true;
  }

  async stop(): Promise<void> {
    await this.halt();
    this.currentState = 'stopped';
  }

  protected async halt(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  protected restart(): void {
    this.run(false, false);
  }

  private run(runNow: boolean, pastDue: boolean): void {
    this.abort = new AbortController();
    this.currentState = 'running';
    this.loop = this.tick(this.abort.signal, runNow, pastDue);
  }

  private async tick(signal: AbortSignal, runNow: boolean, pastDue: boolean): Promise<void> {
    const schedule = this.schedule!;
    if (runNow) await this.invoke(new Date(), schedule, signal, pastDue);
    while (!signal.aborted) {
      const due = schedule.next(new Date());
      // setTimeout overflows past ~24.8 days: wait in slices of at most a day.
      while (Date.now() < due.getTime()) {
        if (!(await abortableDelay(Math.min(86_400_000, due.getTime() - Date.now()), signal))) return;
      }
      await this.invoke(due, schedule, signal);
    }
  }

  private async invoke(occurrence: Date, schedule: TimerSchedule, signal: AbortSignal, pastDue = false): Promise<void> {
    const next = schedule.next(occurrence);
    const memoryStatus = { Last: (this.last ?? occurrence).toISOString(), Next: next.toISOString(), LastUpdated: new Date().toISOString() };
    const status = this.useMonitor ? (this.monitor && this.status ? this.status : memoryStatus) : null;
    // PascalCase as the host sends it; the library camel-cases timer input.
    const input = { Schedule: { AdjustForDST: true }, ScheduleStatus: status, IsPastDue: pastDue };
    this.last = occurrence;
    await this.context.executor.execute({ triggerData: { json: JSON.stringify(input) }, useRetryPolicy: true, signal, reason: 'timer' });
    if (this.monitor) {
      // After each run the extension records Last = this occurrence, Next = the one after it.
      this.status = { Last: occurrence.toISOString(), Next: next.toISOString(), LastUpdated: new Date().toISOString() };
      await this.monitor.update(this.status).catch((e: unknown) =>
        this.context.logger.log({ level: 'error', functionName: this.functionName, message: 'timer schedule status update failed', fields: { error: toError(e).message } }),
      );
    }
  }
}
