/**
 * Structured logs. Secrets never reach a log line: auth headers and cookies are redacted, and request URLs
 * lose their query string's `token` before they are serialised.
 */
import { join } from 'node:path';
import pino, { type Logger, type LevelWithSilent } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
];

export function stripSecretsFromUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1[redacted]');
}

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** `stdout` for `govc serve`; `file` writes rotating files under `<dataDir>/logs` (the desktop app). */
  destination: 'stdout' | 'file' | { stream: NodeJS.WritableStream };
  dataDir?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? ((process.env.GOVC_LOG_LEVEL as LevelWithSilent | undefined) || 'info');
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'govc' } };
  if (options.destination === 'stdout') return pino(base, pino.destination({ fd: 1, sync: false }));
  if (options.destination === 'file') {
    if (!options.dataDir) throw new Error('A file logger needs the data folder');
    const transport = pino.transport({
      target: 'pino-roll',
      options: {
        file: join(options.dataDir, 'logs', 'govc'),
        size: '10m',
        limit: { count: 5 },
        mkdir: true,
        extension: '.log',
      },
    });
    return pino(base, transport);
  }
  return pino(base, options.destination.stream);
}
