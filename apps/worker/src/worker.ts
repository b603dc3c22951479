import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, createSmokeActivities, type JobDeps } from '@timekeeper/jobs';
import type { WorkerConfig } from './config';
import { workflowSource } from './workflow-bundle';

/** Connects to Temporal and creates the worker with every activity wired to its dependencies. */
export async function createWorker(config: WorkerConfig, deps: JobDeps): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities: { ...createSmokeActivities(), ...createActivities(deps) },
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    // Activities get this long to reach a chunk boundary before they are cancelled on shutdown.
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
  });
  return { worker, connection };
}
