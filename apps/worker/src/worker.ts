import { NativeConnection, Worker } from '@temporalio/worker';
import { createSmokeActivities } from '@timekeeper/jobs';
import type { WorkerConfig } from './config';
import { workflowSource } from './workflow-bundle';

/** Connects to Temporal and creates the worker with every activity wired to its dependencies. */
export async function createWorker(config: WorkerConfig): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities: { ...createSmokeActivities() },
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    shutdownGraceTime: '10s',
  });
  return { worker, connection };
}
