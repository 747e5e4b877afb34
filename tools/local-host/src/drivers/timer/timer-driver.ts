import { abortableDelay } from '../../invocation/abortable-delay';
import { PausableDriver } from '../pausable-driver';
import { parseTimerSchedule, type TimerSchedule } from './timer-schedule';

interface TimerTrigger {
  schedule?: string;
  runOnStartup?: boolean;
  useMonitor?: boolean;
}

/**
 * timerTrigger: NCRONTAB (UTC) or TimeSpan. One loop per timer, so invocations never overlap;
 * the next occurrence is computed after an invocation ends. Schedule status is kept in memory
 * only (no blob monitor), so a missed occurrence across restarts is not reported as past due.
 */
export class TimerDriver extends PausableDriver {
  readonly triggerType = 'timerTrigger';
  private schedule?: TimerSchedule;
  private useMonitor = true;
  private loop?: Promise<void>;
  private abort = new AbortController();
  private last?: Date;
  private started = false;

  async start(): Promise<void> {
    const { registration, settings } = this.context;
    const trigger = registration.trigger as TimerTrigger;
    this.schedule = parseTimerSchedule(settings.resolve(trigger.schedule ?? '', registration.name));
    this.useMonitor = trigger.useMonitor ?? this.schedule.defaultUseMonitor;
    this.run(trigger.runOnStartup === true && !this.started);
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
    this.run(false);
  }

  private run(runNow: boolean): void {
    this.abort = new AbortController();
    this.currentState = 'running';
    this.loop = this.tick(this.abort.signal, runNow);
  }

  private async tick(signal: AbortSignal, runNow: boolean): Promise<void> {
    const schedule = this.schedule!;
    if (runNow) await this.invoke(new Date(), schedule, signal);
    while (!signal.aborted) {
      const due = schedule.next(new Date());
      // setTimeout overflows past ~24.8 days: wait in slices of at most a day.
      while (Date.now() < due.getTime()) {
        if (!(await abortableDelay(Math.min(86_400_000, due.getTime() - Date.now()), signal))) return;
      }
      await this.invoke(due, schedule, signal);
    }
  }

  private async invoke(occurrence: Date, schedule: TimerSchedule, signal: AbortSignal): Promise<void> {
    const next = schedule.next(occurrence);
    const status = this.useMonitor ? { Last: (this.last ?? occurrence).toISOString(), Next: next.toISOString(), LastUpdated: new Date().toISOString() } : null;
    // PascalCase as the host sends it; the library camel-cases timer input.
    const input = { Schedule: { AdjustForDST: true }, ScheduleStatus: status, IsPastDue: false };
    this.last = occurrence;
    await this.context.executor.execute({ triggerData: { json: JSON.stringify(input) }, useRetryPolicy: true, signal, reason: 'timer' });
  }
}
