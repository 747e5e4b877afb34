import { LocalHostError } from '../errors';
import { categoryOf, DURABLE_TASK_CATEGORY, filteredLogger, HOST_STARTUP, LogLevelFilter, triggerCategory } from './log-level-filter';
import { JsonLogger } from './logger';

/** A real JsonLogger writing into an array, behind the filter. */
function capture(logLevel?: Record<string, string>) {
  const lines: string[] = [];
  const logger = filteredLogger(new JsonLogger((line) => lines.push(line)), new LogLevelFilter(logLevel));
  const messages = () => lines.map((l) => (JSON.parse(l) as { message: string }).message);
  return { logger, messages };
}

describe('host.json logging.logLevel, as the Functions host applies it', () => {
  it('names categories as the host does', () => {
    expect(categoryOf({ category: 'user', functionName: 'ingest' })).toBe('Function.ingest.User');
    expect(categoryOf({ category: 'system', functionName: 'ingest' })).toBe('Function.ingest');
    expect(categoryOf({ source: 'Host.Triggers.EventHub', functionName: 'ingest' })).toBe('Host.Triggers.EventHub');
    expect(categoryOf({ functionName: 'ingest' })).toBe('Host.General');
    expect(['eventHubTrigger', 'queueTrigger', 'timerTrigger', 'activityTrigger', 'httpTrigger'].map(triggerCategory)).toEqual([
      'Host.Triggers.EventHub', 'Host.Triggers.Queue', 'Host.Triggers.Timer', 'Host.Triggers.DurableTask', 'Host.General',
    ]);
  });

  it('a trigger\'s, the startup\'s and Durable Task\'s lines follow their own categories (their loggers carry them)', () => {
    const { logger, messages } = capture({ 'Host.Triggers.Queue': 'Error', 'Host.Startup': 'Warning', 'Host.Triggers.DurableTask': 'Warning', 'Host.General': 'Debug' });
    const queue = logger.child({ source: triggerCategory('queueTrigger') });
    const durable = logger.child({ source: DURABLE_TASK_CATEGORY });
    queue.log({ level: 'warning', functionName: 'work', message: 'queue poll failed (Queue: Error)' });
    queue.log({ level: 'error', functionName: 'work', message: 'settlement failed' });
    queue.log({ level: 'information', source: 'Function.work', functionName: 'work', message: 'executing (its own category wins)' });
    durable.log({ level: 'information', message: 'orchestration finished (DurableTask: Warning)' });
    durable.log({ level: 'warning', message: 'entity signal failed' });
    logger.log({ level: 'information', source: HOST_STARTUP, message: 'host started (Startup: Warning)' });
    logger.log({ level: 'debug', message: 'general debug' });
    expect(messages()).toEqual(['settlement failed', 'executing (its own category wins)', 'entity signal failed', 'general debug']);
  });

  it('writes Information and above when nothing is configured: debug and trace are dropped', () => {
    const { logger, messages } = capture();
    logger.log({ level: 'trace', message: 't' });
    logger.log({ level: 'debug', message: 'd', source: 'Host.Triggers.EventHub' });
    logger.log({ level: 'information', message: 'i' });
    logger.log({ level: 'warning', category: 'user', functionName: 'f', message: 'w' });
    expect(messages()).toEqual(['i', 'w']);
  });

  it('the most specific category prefix wins over shorter ones and over default', () => {
    const { logger, messages } = capture({ default: 'Warning', Function: 'Information', 'Function.ingest.User': 'Error', 'Host.Triggers': 'Debug' });
    logger.log({ level: 'information', category: 'user', functionName: 'ingest', message: 'user info (Error for ingest.User)' });
    logger.log({ level: 'error', category: 'user', functionName: 'ingest', message: 'user error' });
    logger.log({ level: 'information', category: 'user', functionName: 'other', message: 'other user info (Function)' });
    logger.log({ level: 'information', source: 'Function.ingest', functionName: 'ingest', message: 'executing (Function)' });
    logger.log({ level: 'debug', source: 'Host.Triggers.EventHub', message: 'held (Host.Triggers)' });
    logger.log({ level: 'information', message: 'host info (default Warning)' });
    expect(messages()).toEqual(['user error', 'other user info (Function)', 'executing (Function)', 'held (Host.Triggers)']);
  });

  it('matches at a dot only, ignores case in keys and values, and None writes nothing', () => {
    const { logger, messages } = capture({ 'function.in': 'none', 'FUNCTION.INGEST': 'debug', default: 'NONE' });
    logger.log({ level: 'debug', category: 'system', functionName: 'ingest', message: 'ingest debug' });
    logger.log({ level: 'critical', category: 'system', functionName: 'in', message: 'in critical' });
    logger.log({ level: 'critical', message: 'host critical' });
    expect(messages()).toEqual(['ingest debug']);
  });

  it('child loggers keep the filter and their function name', () => {
    const { logger, messages } = capture({ default: 'Information', 'Function.quiet': 'Warning' });
    const quiet = logger.child({ functionName: 'quiet', category: 'user' });
    const loud = logger.child({ functionName: 'loud', category: 'user' }).child({ invocationId: 'x' });
    quiet.log({ level: 'information', message: 'quiet info' });
    quiet.log({ level: 'warning', message: 'quiet warning' });
    loud.log({ level: 'information', message: 'loud info' });
    expect(messages()).toEqual(['quiet warning', 'loud info']);
  });

  it('refuses a level the host does not know, naming the key', () => {
    expect(() => new LogLevelFilter({ Function: 'Verbose' })).toThrow(LocalHostError);
    expect(() => new LogLevelFilter({ Function: 'Verbose' })).toThrow(/logging\.logLevel\.Function: "Verbose" is not one of Trace, Debug, Information/);
  });
});
