import { createLogger, createMetricsRegistry, loadConfigOrExit, onShutdown, startOpsServer } from '@timekeeper/runtime';
import { WorkerConfigSchema } from './config';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfigOrExit(WorkerConfigSchema);
  const logger = createLogger('worker', config.LOG_LEVEL);
  const { worker, connection } = await createWorker(config);
  const ops = await startOpsServer({
    logger,
    host: config.WORKER_HOST,
    port: config.WORKER_PORT,
    registry: createMetricsRegistry('worker'),
    checks: [
      { name: 'temporal', check: () => connection.workflowService.getSystemInfo({}) },
      {
        name: 'worker',
        check: async () => {
          if (worker.getState() !== 'RUNNING') throw new Error(`worker is ${worker.getState()}`);
        },
      },
    ],
  });
  onShutdown(logger, [async () => worker.shutdown(), () => ops.close()]);
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`worker: failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
