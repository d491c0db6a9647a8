/**
 * A small leveled logger writing to stderr (stdout carries only the "listening" line, so scripts can read
 * it): one JSON object per line, or readable `time LEVEL message key=value` lines (`--log-format text`, and
 * the default when stderr is a terminal). Levels: debug < info < warn < error < silent.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

export type LogFormat = 'json' | 'text' | 'auto';

export function isLogFormat(value: string): value is LogFormat {
  return value === 'json' || value === 'text' || value === 'auto';
}

/** `auto` is text on a terminal, JSON otherwise (files, pipes, log collectors). */
export function resolveLogFormat(format: LogFormat, isTty = process.stderr.isTTY === true): 'json' | 'text' {
  return format === 'auto' ? (isTty ? 'text' : 'json') : format;
}

/** One readable line: `2026-01-02T03:04:05.678Z INFO  started url=http://... store=sqlite`. */
export function textLine(
  time: string,
  level: LogLevel,
  msg: string,
  fields?: Record<string, unknown>,
): string {
  const pairs = Object.entries(fields ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      return `${k}=${/^[^\s"=]*$/.test(text) && text !== '' ? text : JSON.stringify(text)}`;
    });
  return `${time} ${level.toUpperCase().padEnd(5)} ${msg}${pairs.length ? ` ${pairs.join(' ')}` : ''}\n`;
}

export function isLogLevel(value: string): value is LogLevel {
  return value in ORDER;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
  format: LogFormat = 'json',
): Logger {
  const text = resolveLogFormat(format) === 'text';
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const time = new Date().toISOString();
    write(
      text ? textLine(time, lvl, msg, fields) : `${JSON.stringify({ time, level: lvl, msg, ...fields })}\n`,
    );
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    enabled: (lvl) => ORDER[lvl] >= ORDER[level],
  };
}
