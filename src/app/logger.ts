/**
 * The process logger: level-filtered lines on stderr, as text or JSON. Components receive `log` functions, never
 * this module; hot paths count instead of logging.
 * @module
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Log = (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: 'text' | 'json';
  readonly write?: (line: string) => void;
  readonly clock?: () => number;
}

export function createLogger(options: LoggerOptions): Log {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? Date.now;
  const min = RANK[options.level];
  return function log(level, message, fields) {
    if (RANK[level] < min) return;
    const time = new Date(clock()).toISOString();
    if (options.format === 'json') {
      write(JSON.stringify({ time, level, message, ...fields }));
      return;
    }
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${extra}`);
  };
}
