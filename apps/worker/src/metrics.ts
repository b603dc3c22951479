import { Counter, Histogram, type Registry } from 'prom-client';
import type { JobMetrics } from '@timekeeper/jobs';

/** The jobs' metrics on the worker's registry. */
export function createJobMetrics(registry: Registry): JobMetrics {
  const started = new Counter({ name: 'timekeeper_activities_started_total', help: 'Job activity attempts started', labelNames: ['kind'], registers: [registry] });
  const succeeded = new Counter({ name: 'timekeeper_activities_succeeded_total', help: 'Job activity attempts that succeeded', labelNames: ['kind'], registers: [registry] });
  const failed = new Counter({ name: 'timekeeper_activities_failed_total', help: 'Job activity attempts that failed', labelNames: ['kind', 'error_type'], registers: [registry] });
  const chunk = new Histogram({
    name: 'timekeeper_chunk_duration_seconds',
    help: 'Time to run and commit one chunk',
    labelNames: ['kind'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const lockWait = new Histogram({
    name: 'timekeeper_lock_wait_seconds',
    help: 'Time spent waiting for a job lock',
    labelNames: ['kind', 'acquired'],
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });
  const fence = new Counter({ name: 'timekeeper_fence_rejections_total', help: 'Commits rejected for a stale fencing token', labelNames: ['kind'], registers: [registry] });
  return {
    activityStarted: (kind) => started.inc({ kind }),
    activitySucceeded: (kind) => succeeded.inc({ kind }),
    activityFailed: (kind, errorType) => failed.inc({ kind, error_type: errorType }),
    chunkCommitted: (kind, seconds) => chunk.observe({ kind }, seconds),
    lockWaited: (kind, seconds, acquired) => lockWait.observe({ kind, acquired: String(acquired) }, seconds),
    fenceRejected: (kind) => fence.inc({ kind }),
  };
}

