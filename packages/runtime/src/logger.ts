import pino, { type Logger } from 'pino';

/** JSON logs on stdout, one logger per app, named after it. */
export function createLogger(app: string, level = 'info'): Logger {
  return pino({ name: app, level, base: { app }, timestamp: pino.stdTimeFunctions.isoTime });
}
export type { Logger };
