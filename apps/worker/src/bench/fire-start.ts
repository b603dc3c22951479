// `pnpm bench --only fire-start` (or `pnpm --filter @timekeeper/worker bench:fire`): how late after its
// nominal fire time a slot's first activity starts. Timekeeper side: schedules built by the scheduling
// package exactly as the API builds them (runJob, a synthetic job of one empty chunk) and the worker's
// own wiring (ledger, lock, fence). Baseline: bare Temporal schedules with the same interval and
// policies starting a trivial workflow with one trivial activity, on a bare Worker. Both run at once
// on the same Temporal server and fire at the same instants, so the same load hits both. The delay is
// read from each workflow's history: first ActivityTaskStarted event time - TemporalScheduledStartTime.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Client, Connection, ScheduleOverlapPolicy, type WorkflowExecutionInfo } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { BenchEnvSchema, describeSummary, reportFigures, runBench, summarize, type BenchFigure } from '@timekeeper/bench';
import { dstScheduleIdFor, scheduleIdFor, type RunInput } from '@timekeeper/contracts';
import { createOrm, ensureDatabase, migrate } from '@timekeeper/db';
import { createSmokeActivities, noopMetrics } from '@timekeeper/jobs';
import { createLogger, loadConfigOrExit, parseConfig } from '@timekeeper/runtime';
import { applySchedule, deleteSchedule, type DesiredSchedule } from '@timekeeper/scheduling';
import { WorkerConfigSchema } from '../config';
import { createJobDeps } from '../deps';
import { createWorker } from '../worker';
import { workflowSource } from '../workflow-bundle';

const bench = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    Type.Object({
      BENCH_SCHEDULES: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
      BENCH_EVERY_S: Type.Integer({ minimum: 1, maximum: 300, default: 5 }),
      BENCH_SECONDS: Type.Integer({ minimum: 5, maximum: 3_600, default: 75 }),
    }),
  ]),
);
const out = (s: string) => process.stdout.write(`fire-start: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tag = randomUUID().slice(0, 8);
const EVERY_MS = bench.BENCH_EVERY_S * 1000;

type Timestamp = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;
const msOf = (t: Timestamp) => (t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : Number.NaN);

function nominalOf(run: WorkflowExecutionInfo): number {
  const v = (run.searchAttributes as Record<string, unknown[] | undefined>).TemporalScheduledStartTime?.[0];
  return v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number.NaN;
}

/** A loaded shared dev server sometimes fails a call (e.g. describing a schedule just created): try again, a few times. */
async function withRetries<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      if (i >= attempts) throw err;
      out(`retrying after: ${err instanceof Error ? err.message : String(err)}`);
      await sleep(1_000 * i);
    }
  }
}

type Delays = { toStart: number[]; toActivity: number[]; workflows: number };

/** Every run of a task queue whose slot lies in [from, to): workflow start and first activity start, each minus the slot. */
async function delaysOf(client: Client, taskQueue: string, from: number, to: number): Promise<Delays> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const run of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    const nominal = nominalOf(run);
    if (nominal >= from && nominal < to) runs.push(run);
  }
  const d: Delays = { toStart: [], toActivity: [], workflows: runs.length };
  for (const run of runs) {
    const nominal = nominalOf(run);
    const events = (await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events ?? [];
    d.toStart.push(run.startTime.getTime() - nominal);
    const started = events.find((e) => e.activityTaskStartedEventAttributes);
    if (started) d.toActivity.push(msOf(started.eventTime as Timestamp) - nominal);
  }
  return d;
}

async function waitUntilIdle(client: Client, queues: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const query = `(${queues.map((q) => `TaskQueue = '${q}'`).join(' OR ')}) AND ExecutionStatus = 'Running'`;
  while (Date.now() < deadline) {
    const { count } = await client.workflow.count(query);
    if (count === 0) return;
    await sleep(1_000);
  }
  out(`WARNING: runs still open after ${timeoutMs / 1000} s; their delays are counted if their first activity started`);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const base = parseConfig(WorkerConfigSchema);
  const url = new URL(base.DATABASE_URL);
  url.pathname = `${url.pathname}_bench_fire`;
  const config = { ...base, DATABASE_URL: url.toString(), TEMPORAL_TASK_QUEUE: `bench-fire-tk-${tag}` };
  const bareQueue = `bench-fire-bare-${tag}`;
  await ensureDatabase(config.DATABASE_URL);
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 2 });
  await migrate(orm);
  await orm.close(true);

  const logger = createLogger('bench-fire', 'warn');
  const { deps, close } = await createJobDeps(config, logger, noopMetrics);
  const tk = await createWorker(config, deps);
  const bareConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const bareWorker = await Worker.create({
    connection: bareConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: bareQueue,
    ...workflowSource(),
    activities: createSmokeActivities(),
  });
  const running = [tk.worker.run(), bareWorker.run()];
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  const input = (jobKey: string): RunInput => ({
    jobKey,
    kind: 'synthetic',
    params: { chunks: 1, chunkMs: 0 },
    timezone: 'UTC',
    definitionVersion: 1,
    retry: { maxAttempts: 3, initialIntervalMs: 1_000, maxIntervalMs: 10_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
    timeouts: { startToCloseMs: 60_000, heartbeatMs: 30_000 },
    lock: { required: true, ttlMs: 30_000 },
  });
  const common = { timezone: 'UTC', jitterMs: 0, overlapPolicy: 'skip' as const, catchupWindowMs: 60_000, runTimeoutMs: 300_000 };
  const tkIds: string[] = [];
  const bareIds: string[] = [];
  let from = 0;
  let to = 0;
  try {
    for (let i = 0; i < bench.BENCH_SCHEDULES; i++) {
      const jobKey = `bench-fire-${tag}-${i}`;
      const desired: DesiredSchedule = {
        ...common,
        scheduleId: scheduleIdFor(jobKey),
        // An interval in UTC: no clock-change companion.
        dstScheduleId: dstScheduleIdFor(jobKey),
        dstWindows: [],
        jobKey,
        instance: `bench-${tag}`,
        temporalCron: null,
        intervalMs: EVERY_MS,
        paused: false,
        pauseNote: null,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        input: input(jobKey),
      };
      await withRetries(() => applySchedule(client, desired));
      tkIds.push(desired.scheduleId);
      const bareId = `bench-bare-${tag}-${i}`;
      await client.schedule.create({
        scheduleId: bareId,
        spec: { intervals: [{ every: EVERY_MS }], timezone: 'UTC' },
        action: { type: 'startWorkflow', workflowType: 'smokeWorkflow', workflowId: bareId, taskQueue: bareQueue, args: ['bench'], workflowExecutionTimeout: common.runTimeoutMs },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: common.catchupWindowMs },
      });
      bareIds.push(bareId);
    }
    // Count only slots that both sides had schedules for: from the next fire after all exist.
    from = Math.ceil((Date.now() + 1_000) / EVERY_MS) * EVERY_MS;
    to = from + bench.BENCH_SECONDS * 1000;
    out(`${bench.BENCH_SCHEDULES} + ${bench.BENCH_SCHEDULES} schedules every ${bench.BENCH_EVERY_S} s; measuring slots in [${new Date(from).toISOString()}, ${new Date(to).toISOString()})`);
    // The measured window is wall-clock time: nothing to poll for until it has passed.
    await sleep(to - Date.now() + 500);
  } finally {
    for (const id of [...tkIds, ...bareIds]) await deleteSchedule(client, id);
  }
  await waitUntilIdle(client, [config.TEMPORAL_TASK_QUEUE, bareQueue], 120_000);
  const expected = bench.BENCH_SCHEDULES * Math.round((to - from) / EVERY_MS);
  const tkDelays = await delaysOf(client, config.TEMPORAL_TASK_QUEUE, from, to);
  const bareDelays = await delaysOf(client, bareQueue, from, to);
  for (const [name, d] of [['timekeeper', tkDelays], ['bare', bareDelays]] as const) {
    out(`${name}: ${d.workflows} of ${expected} slots started`);
    out(`${name}: fire -> workflow start     ${describeSummary(summarize(d.toStart))}`);
    out(`${name}: fire -> first activity     ${describeSummary(summarize(d.toActivity))}`);
  }
  const a = summarize(tkDelays.toActivity);
  const b = summarize(bareDelays.toActivity);
  const s = summarize(tkDelays.toStart);
  const sb = summarize(bareDelays.toStart);
  const shared = { bench: 'fire-start', unit: 'ms', baselineName: 'bare Temporal interval schedules + trivial workflow + one activity, same server, same instants' };
  const figures: BenchFigure[] = [
    { ...shared, name: `fire -> activity start p99 (${a.n} slots)`, figure: a.p99, baseline: b.p99, target: { maxRatio: 1.1, max: 1000 } },
    { ...shared, name: 'fire -> activity start p50', figure: a.p50, baseline: b.p50 },
    { ...shared, name: 'fire -> workflow start p99', figure: s.p99, baseline: sb.p99 },
    {
      ...shared,
      name: 'slots started',
      unit: 'slots',
      figure: tkDelays.workflows,
      baseline: bareDelays.workflows,
      target: { min: expected },
      note: `${bench.BENCH_SCHEDULES} schedules per side every ${bench.BENCH_EVERY_S} s for ${bench.BENCH_SECONDS} s; <= 1000 ms is Temporal's promise on an idle stack`,
    },
  ];
  reportFigures(figures, bench.BENCH_RESULT_FILE);
  tk.worker.shutdown();
  bareWorker.shutdown();
  await Promise.all(running);
  await tk.connection.close();
  await bareConnection.close();
  await close();
}

runBench('fire-start', main);
