import { parseTimeSpan } from '../../config/timespan';
import { parseNcrontab } from './ncrontab';

export interface TimerSchedule {
  readonly text: string;
  /** useMonitor's default: false for schedules that fire more often than once a minute. */
  readonly defaultUseMonitor: boolean;
  next(after: Date): Date;
}

/** A timer's `schedule`: NCRONTAB (6 fields) or a TimeSpan such as "00:00:30". */
export function parseTimerSchedule(text: string): TimerSchedule {
  if (/^\s*(\d+\.)?\d{1,2}:\d{1,2}:\d{1,2}\s*$/.test(text)) {
    const interval = parseTimeSpan(text.trim(), 'schedule');
    return { text, defaultUseMonitor: interval >= 60_000, next: (after) => new Date(after.getTime() + interval) };
  }
  const cron = parseNcrontab(text);
  return { text, defaultUseMonitor: !cron.subMinute, next: (after) => cron.next(after) };
}
