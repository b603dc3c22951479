import type { CreateJobBody, JobKind } from '@timekeeper/contracts';

/** What a chaos job is for, beyond being load: the faults pick their targets by role. */
export type JobRole = 'load' | 'late-retry' | 'lock-holder' | 'terminate';

export type ChaosJob = {
  key: string;
  kind: JobKind;
  role: JobRole;
  intervalMs: number;
  /** Synthetic jobs: the fixed work time of each chunk, taken out of the commit-latency figures. */
  chunkMs?: number;
  body: CreateJobBody;
};

// Short timeouts so a killed or frozen worker's attempt is noticed in seconds: a 5 s lock lease and a
// 10 s heartbeat timeout (the SDK sends heartbeats every 0.8 x the timeout, so less would time out
// healthy attempts on a loaded machine). Every definition fits its attempts into its run timeout.
const fast = {
  retry: { maxAttempts: 5, initialInterval: '1s', maxInterval: '5s', backoffCoefficient: 2 },
  timeouts: { run: '10m', startToClose: '1m', heartbeat: '10s' },
  lock: { required: true, ttl: '5s' },
  gracePeriod: '10s',
};

function job(key: string, kind: JobKind, role: JobRole, intervalS: number, params: Record<string, unknown>, extra: Partial<CreateJobBody> = {}): ChaosJob {
  const { schedule, ...rest } = extra;
  return {
    key,
    kind,
    role,
    intervalMs: intervalS * 1000,
    chunkMs: kind === 'synthetic' ? Number(params.chunkMs) : undefined,
    body: {
      key,
      name: `Chaos ${key}`,
      kind,
      params,
      ...fast,
      ...rest,
      schedule: { interval: `${intervalS}s`, timezone: 'UTC', overlapPolicy: 'skip', catchupWindow: '1m', ...schedule },
      tags: ['chaos'],
    },
  };
}

/**
 * Every kind on the seeded data, plus synthetic jobs every 10-15 s. The intervals differ so that the
 * slots of all jobs seldom fire in the same second (a burst that would swamp two cores). The VIP job
 * has one attempt per slot, so killing its worker mid-run leaves a slot half done for the late retry.
 */
export const CHAOS_JOBS: ChaosJob[] = [
  job('chaos-vip', 'vip-recalculation', 'late-retry', 15, { windowDays: 90, chunkSize: 100 }, {
    retry: { maxAttempts: 1 },
    timeouts: { run: '10m', startToClose: '5m', heartbeat: '10s' },
  }),
  job('chaos-cache', 'cache-warming', 'load', 17, { topProducts: 50, vipProfiles: 500, ttlSeconds: 600 }),
  job('chaos-report', 'report-generation', 'load', 19, { period: 'hour', reportKind: 'chaos-sales' }),
  job('chaos-cleanup', 'data-cleanup', 'load', 23, { batchSize: 200, runRetentionDays: 30 }),
  // Twelve 100 ms chunks each: enough commits a second to measure a p99 during the Kafka outage.
  ...[10, 11, 12, 13, 14, 15].map((s, i) => job(`chaos-syn-${i + 1}`, 'synthetic', 'load', s, { chunks: 12, chunkMs: 100 })),
  // Eight one-second chunks: a lock holder that is mid-run most of the time, for the SIGSTOP.
  job('chaos-slow', 'synthetic', 'lock-holder', 16, { chunks: 8, chunkMs: 1000 }),
  // Each run outlasts its interval, so the next slot terminates it: nothing in the workflow writes that verdict.
  job('chaos-terminate', 'synthetic', 'terminate', 10, { chunks: 6, chunkMs: 2000 }, { schedule: { overlapPolicy: 'terminate_other' } }),
];

export const jobWithRole = (role: JobRole): ChaosJob => {
  const found = CHAOS_JOBS.find((j) => j.role === role);
  if (!found) throw new Error(`no chaos job has the role ${role}`);
  return found;
};
