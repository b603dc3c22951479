import { bearerKeyIsValid } from '@timekeeper/db';
import { createOutboxRelay } from '@timekeeper/jobs';
import { createLogger, createMetricsRegistry, createOutboxRelayMetrics, loadConfigOrExit, onShutdown, startOpsServer } from '@timekeeper/runtime';
import { WorkerConfigSchema } from './config';
import { createJobDeps } from './deps';
import { createJobMetrics } from './metrics';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfigOrExit(WorkerConfigSchema);
  const logger = createLogger('worker', config.LOG_LEVEL);
  const registry = createMetricsRegistry('worker');
  const metrics = createJobMetrics(registry);
  const { deps, kafka, close } = await createJobDeps(config, logger, metrics);
  const { worker, connection } = await createWorker(config, deps);
  // Every worker process runs a relay; one at a time holds the lease and publishes, the others stand by.
  const relay = createOutboxRelay({
    orm: deps.orm,
    kafka,
    logger: logger.child({ component: 'outbox-relay' }),
    metrics: createOutboxRelayMetrics(registry),
    batchSize: config.OUTBOX_BATCH_SIZE,
    maxFailures: config.OUTBOX_MAX_FAILURES,
    retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
    leaseMs: config.OUTBOX_LEASE_MS,
  });
  if (config.OUTBOX_RELAY_ENABLED) relay.start();
  const ops = await startOpsServer({
    logger,
    host: config.WORKER_HOST,
    port: config.WORKER_PORT,
    registry,
    authorizeMetrics: (authorization) => bearerKeyIsValid(deps.orm.em.fork(), authorization),
    checks: [
      { name: 'temporal', check: () => connection.workflowService.getSystemInfo({}) },
      { name: 'database', check: () => deps.orm.em.getConnection().execute('select 1') },
      { name: 'redis', check: () => deps.redis.ping() },
      {
        name: 'worker',
        check: async () => {
          if (worker.getState() !== 'RUNNING') throw new Error(`worker is ${worker.getState()}`);
        },
      },
    ],
  });
  const running = worker.run();
  onShutdown(
    logger,
    [
      // Stop polling, let activities reach a chunk boundary (shutdownGraceTime), then close the rest.
      async () => {
        worker.shutdown();
        await running.catch((err: unknown) => logger.error({ err }, 'worker stopped with an error'));
      },
      () => relay.stop(),
      () => ops.close(),
      () => connection.close(),
      () => close(),
    ],
    config.WORKER_SHUTDOWN_GRACE_MS + 10_000,
  );
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, relay: config.OUTBOX_RELAY_ENABLED }, 'worker polling');
  await running;
}

main().catch((err: unknown) => {
  process.stderr.write(`worker: failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
