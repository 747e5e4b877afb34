export type Logger = (message: string, fields?: Record<string, unknown>) => void;

/** Structured log lines (JSON) on stderr: stdout is reserved for the connection string. */
export const stderrLogger: Logger = (message, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'eventhubs-emulator', message, ...fields })}\n`);
};
