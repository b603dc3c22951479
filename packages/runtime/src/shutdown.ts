import type { Logger } from 'pino';

/**
 * Runs the given closers once, in order, on SIGTERM or SIGINT, then exits. A second signal, or
 * closers that take longer than the grace period, force the exit so an orchestrator is never stuck.
 */
export function onShutdown(logger: Logger, closers: Array<() => Promise<unknown>>, graceMs = 20_000): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown grace period exceeded, exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    void (async () => {
      for (const close of closers) {
        try {
          await close();
        } catch (err) {
          logger.error({ err }, 'error while shutting down');
        }
      }
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
