import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { currentCorrelationId } from './correlation-context';

export interface LogSettings {
  service: string;
  level: string;
  file?: string;
}

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'apiKey',
  'databaseUrl',
  'connectionString',
  '*.password',
  '*.apiKey',
  '*.api_key',
  '*.token',
  '*.secret',
  '*.databaseUrl',
  '*.connectionString',
  // AI provider keys travel in these headers (OpenAI, Anthropic, Gemini).
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
];

/** JSON lines with `time`, `level`, `service`, `correlationId` and `msg`. */
export function buildLoggerOptions(settings: LogSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Request loggers already carry the ID in their bindings; every other line gets it here.
    mixin: (_merge, _level, logger) => {
      const correlationId = currentCorrelationId();
      if (!correlationId || (logger as Logger).bindings().correlationId) return {};
      return { correlationId };
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

/** Standard output, plus `file` (appended, created if missing) when set. */
export function buildLogDestination(file?: string): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: false });
  if (!file) return stdout;
  return pino.multistream([
    { stream: stdout },
    { stream: pino.destination({ dest: file, append: true, mkdir: true, sync: false }) },
  ]);
}
