// `pnpm --filter @timekeeper/worker bench:locks`: how soon another job's slots start after their fire
// time while a 200-slot backfill of one locked job (through its schedule, as the API does it) queues
// for its lock, against the same measured with no backfill in the same run. One worker with its usual activity slots (database
// <db>_bench_locks, a task queue of its own). Prints figures; it is not a test.
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Type } from '@sinclair/typebox';
import { Client, Connection, ScheduleOverlapPolicy, type WorkflowHandle } from '@temporalio/client';
import type { RunInput } from '@timekeeper/contracts';
import { createOrm, ensureDatabase, migrate } from '@timekeeper/db';
import { noopMetrics } from '@timekeeper/jobs';
import { BenchEnvSchema, reportFigures, runBench } from '@timekeeper/bench';
import { createLogger, loadConfigOrExit, OwnTemporalServer, parseConfig } from '@timekeeper/runtime';
import { WorkerConfigSchema } from '../config';
import { createJobDeps } from '../deps';
import { createWorker } from '../worker';

const bench = loadConfigOrExit(
  Type.Composite([BenchEnvSchema, Type.Object({
    BENCH_BACKFILL_SLOTS: Type.Integer({ minimum: 1, maximum: 5_000, default: 200 }),
    BENCH_FIRES: Type.Integer({ minimum: 5, maximum: 1_000, default: 30 }),
    BENCH_FIRE_EVERY_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 1_000 }),
    BENCH_BACKFILL_CHUNK_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 250 }),
    // `own`: a Temporal dev server of the bench's own (TEMPORAL_CLI), so other users of the shared
    // one do not show up in the figures.
    BENCH_TEMPORAL: Type.Union([Type.Literal('shared'), Type.Literal('own')], { default: 'shared' }),
  })]),
);
const out = (s: string) => process.stdout.write(`bench: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tag = randomUUID().slice(0, 8);

type Timestamp = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;
const msOf = (t: Timestamp) => (t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : NaN);

/**
 * When each activity type first started in the run, and its first workflow task (from its history).
 * The ledger writes are local activities, recorded as markers when their workflow task completes: the
 * first marker is the slot recorded as started (`recordSlotStarted`).
 */
async function activityStarts(handle: WorkflowHandle): Promise<Map<string, number>> {
  const events = (await handle.fetchHistory()).events ?? [];
  const typeOf = new Map<string, string>();
  const starts = new Map<string, number>();
  for (const e of events) {
    if (e.workflowTaskStartedEventAttributes && !starts.has('workflowTask')) starts.set('workflowTask', msOf(e.eventTime as Timestamp));
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity' && !starts.has('recordSlotStarted')) starts.set('recordSlotStarted', msOf(e.eventTime as Timestamp));
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(String(e.eventId), scheduled.activityType?.name ?? '?');
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const type = typeOf.get(String(started.scheduledEventId)) ?? '?';
      if (!starts.has(type)) starts.set(type, msOf(e.eventTime as Timestamp));
    }
  }
  return starts;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const figures = (xs: number[]) => ({ p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: Math.max(...xs) });
const fmt = (f: { p50: number; p99: number; max: number }) => `p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms`;

async function main(): Promise<void> {
  const base = parseConfig(WorkerConfigSchema);
  const url = new URL(base.DATABASE_URL);
  url.pathname = `${url.pathname}_bench_locks`;
  const own = bench.BENCH_TEMPORAL === 'own' ? await OwnTemporalServer.start() : null;
  const config = {
    ...base,
    DATABASE_URL: url.toString(),
    TEMPORAL_ADDRESS: own?.address ?? base.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: `bench-locks-${tag}`,
    OUTBOX_RELAY_ENABLED: false,
  };
  await ensureDatabase(config.DATABASE_URL);
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 2 });
  await migrate(orm);
  await orm.close(true);

  const logger = createLogger('bench-locks', 'error');
  const { deps, close } = await createJobDeps(config, logger, noopMetrics);
  const { worker, connection: nc } = await createWorker(config, deps);
  const running = worker.run();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`;
  out(`machine: ${load()}`);
  out(`temporal: ${own ? `own dev server on ${own.address}` : `shared, ${config.TEMPORAL_ADDRESS}`}`);
  out(`worker: ${config.WORKER_MAX_CONCURRENT_ACTIVITIES} activity slots, LOCK_MAX_WAIT_MS ${config.LOCK_MAX_WAIT_MS}; ${bench.BENCH_FIRES} fires of the other job every ${bench.BENCH_FIRE_EVERY_MS} ms per phase`);

  const input = (jobKey: string, slot: string | undefined, chunks: number, chunkMs: number): RunInput => ({
    jobKey,
    kind: 'synthetic',
    params: { chunks, chunkMs },
    timezone: 'UTC',
    definitionVersion: 1,
    retry: { maxAttempts: 3, initialIntervalMs: 1_000, maxIntervalMs: 10_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
    timeouts: { startToCloseMs: 600_000, heartbeatMs: 30_000 },
    lock: { required: true, ttlMs: 30_000 },
    slot,
  });
  const start = (i: RunInput, runTimeoutMs: number) =>
    client.workflow.start('runJob', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: `tk-${i.jobKey}-${i.slot}`, args: [i], workflowExecutionTimeout: runTimeoutMs });

  /** Fires the other job's slots on a fixed cadence; returns fire -> ledger activity and -> job activity start, in ms. */
  async function fireOther(phase: string): Promise<{ task: number[]; ledger: number[]; job: number[] }> {
    const jobKey = `bench-other-${phase}-${tag}`;
    const fired: Array<{ at: number; handle: WorkflowHandle }> = [];
    const t0 = Date.now();
    for (let i = 0; i < bench.BENCH_FIRES; i++) {
      await sleep(Math.max(0, t0 + i * bench.BENCH_FIRE_EVERY_MS - Date.now()));
      const at = Date.now();
      fired.push({ at, handle: await start(input(jobKey, new Date(Date.UTC(2026, 10, 20, 0, i)).toISOString(), 1, 20), 600_000) });
    }
    await Promise.all(fired.map((f) => f.handle.result()));
    const task: number[] = [];
    const ledger: number[] = [];
    const job: number[] = [];
    for (const f of fired) {
      const starts = await activityStarts(f.handle);
      task.push(starts.get('workflowTask')! - f.at);
      ledger.push(starts.get('recordSlotStarted')! - f.at);
      job.push(starts.get('synthetic')! - f.at);
    }
    return { task, ledger, job };
  }

  out('phase 1 (baseline): no backfill');
  const idle = await fireOther('idle');

  // As POST /v1/jobs/:key/backfill does it: the job's Temporal Schedule backfills the range, with the
  // API's default overlap (allow_all), so every slot's run starts and queues for the lock.
  out(`phase 2: a backfill of ${bench.BENCH_BACKFILL_SLOTS} slots of one locked job (2 chunks x ${bench.BENCH_BACKFILL_CHUNK_MS} ms each) through its schedule, overlap allow_all`);
  const backfillKey = `bench-backfill-${tag}`;
  const scheduleId = `tk-${backfillKey}`;
  const schedule = await client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: '1m' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'runJob',
      workflowId: scheduleId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input(backfillKey, undefined, 2, bench.BENCH_BACKFILL_CHUNK_MS)],
      workflowExecutionTimeout: '1h',
    },
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
    state: { paused: true },
  });
  const from = Date.UTC(2026, 9, 1);
  const backfillStarted = Date.now();
  await schedule.backfill([{ start: new Date(from), end: new Date(from + (bench.BENCH_BACKFILL_SLOTS - 1) * 60_000), overlap: ScheduleOverlapPolicy.ALLOW_ALL }]);
  const busy = await fireOther('busy');
  const elapsed = Date.now() - backfillStarted;
  const runs: WorkflowHandle[] = [];
  let done = 0;
  for await (const run of client.workflow.list({ query: `TemporalScheduledById = '${scheduleId}'` })) {
    runs.push(client.workflow.getHandle(run.workflowId, run.runId));
    if (run.status.name === 'COMPLETED') done++;
  }
  out(`backfill: ${runs.length} runs started, ${done} of ${bench.BENCH_BACKFILL_SLOTS} slots done after ${(elapsed / 1000).toFixed(1)} s (one at a time under the lock); the rest still queued`);

  const rows: Array<[string, number[], number[]]> = [
    ['fire -> first workflow task start', idle.task, busy.task],
    ['fire -> slot recorded (ledger marker)', idle.ledger, busy.ledger],
    ['fire -> job activity start', idle.job, busy.job],
  ];
  for (const [what, a, b] of rows) {
    const fa = figures(a);
    const fb = figures(b);
    out(`${what}: baseline ${fmt(fa)} | during backfill ${fmt(fb)} | ratio p50 ${(fb.p50 / Math.max(1, fa.p50)).toFixed(2)}x, max ${(fb.max / Math.max(1, fa.max)).toFixed(2)}x`);
  }
  out(`machine: ${load()}`);
  const late = busy.job.filter((ms) => ms > 2_000).length;
  out(`other job's slots starting more than 2 s after their fire time during the backfill: ${late} of ${busy.job.length} (target 0)`);
  const common = { bench: 'lock-fairness', unit: 'ms', baselineName: 'the same fires with no backfill queued for a lock, same run' };
  reportFigures(
    [
      { ...common, name: 'other job: fire -> job activity start p99', figure: figures(busy.job).p99, baseline: figures(idle.job).p99 },
      { ...common, name: 'other job: slots starting > 2 s late', unit: 'slots', figure: late, target: { max: 0 } },
    ],
    bench.BENCH_RESULT_FILE,
  );

  await schedule.delete();
  for (const h of runs) await h.terminate('bench done').catch(() => undefined);
  worker.shutdown();
  await running;
  await nc.close();
  await connection.close();
  await close();
  await own?.stop();
}

runBench('lock-fairness', main);
