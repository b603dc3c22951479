// `pnpm bench --only jobs` (or `pnpm bench:jobs`): vip-recalculation on 1M users / 5M orders (database
// <db>_bench_jobs, seeded once; `--quick`: 20k / 100k in <db>_bench_jobs_quick) through the real
// worker, against the same computation as one set-based SQL statement.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Client, Connection } from '@temporalio/client';
import type { RunInput } from '@timekeeper/contracts';
import { createOrm, ensureDatabase, migrate, seedDataset, type MikroORM } from '@timekeeper/db';
import { noopMetrics } from '@timekeeper/jobs';
import { BenchEnvSchema, reportFigures, runBench } from '@timekeeper/bench';
import { createLogger, loadConfigOrExit, parseConfig } from '@timekeeper/runtime';
import { WorkerConfigSchema } from '../config';
import { createJobDeps } from '../deps';
import { createWorker } from '../worker';

// Sizes can be lowered for a quick run; parsed once, a bad value stops the bench naming it.
const bench = loadConfigOrExit(
  Type.Composite([BenchEnvSchema, Type.Object({
    BENCH_USERS: Type.Integer({ minimum: 1, default: 1_000_000 }),
    BENCH_ORDERS: Type.Integer({ minimum: 1, default: 5_000_000 }),
    BENCH_CHUNK: Type.Integer({ minimum: 100, maximum: 100_000, default: 10_000 }),
  })]),
);
const USERS = bench.BENCH_USERS;
const ORDERS = bench.BENCH_ORDERS;
const SEED_NOW = new Date('2026-11-20T00:00:00.000Z');
const SLOT = new Date('2026-11-20T03:00:00.000Z');
const WINDOW_DAYS = 90;
const DAY = 86_400_000;
const JOB_KEY = 'bench-vip';
const out = (s: string) => process.stdout.write(`bench: ${s}\n`);

// The new tier per user for a window, as one derived table (shared by the prime and the baseline).
const tiersSql = `
  select s.id, s.tier,
    (select t.tier from vip_tiers t where t.min_spend <= s.spend order by t.min_spend desc limit 1) as new_tier
  from (
    select u.id, u.tier, coalesce(sum(o.amount), 0) as spend
    from users u left join orders o on o.user_id = u.id and o.status = 'paid' and o.created_at >= ? and o.created_at < ?
    group by u.id, u.tier
  ) s`;
const applySql = `update users u join (${tiersSql}) x on x.id = u.id set u.tier = x.new_tier, u.tier_updated_at = ? where x.new_tier <> x.tier`;

async function scalar(orm: MikroORM, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await orm.em.getConnection().execute<Array<{ n: number }>>(sql, params);
  return Number(row?.n ?? 0);
}

async function main(): Promise<void> {
  const base = parseConfig(WorkerConfigSchema);
  const url = new URL(base.DATABASE_URL);
  // Its own database beside the configured one; quick runs use another, so a full seed is never mixed with a small one.
  url.pathname = `${url.pathname}_bench_jobs${bench.BENCH_QUICK ? '_quick' : ''}`;
  const config = { ...base, DATABASE_URL: url.toString(), TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`, WORKER_MAX_CONCURRENT_ACTIVITIES: 2 };
  await ensureDatabase(config.DATABASE_URL);
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 4 });
  await migrate(orm);

  const users = await scalar(orm, 'select count(*) as n from users');
  const orders = await scalar(orm, 'select count(*) as n from orders');
  if (users < USERS || orders < ORDERS) {
    out(`seeding ${USERS - users} users and ${ORDERS - orders} orders into ${url.pathname.slice(1)}`);
    const s = await seedDataset(orm, { users: Math.max(0, USERS - users), orders: Math.max(0, ORDERS - orders), now: SEED_NOW, seed: 2026, concurrency: 3, onProgress: (m) => out(m) });
    out(`seeded in ${(s.ms / 1000).toFixed(1)} s`);
  } else {
    out(`reusing ${users} users and ${orders} orders`);
  }
  const total = await scalar(orm, 'select count(*) as n from users');

  // Same starting point every run: tiers as of a week before the slot, no trace of earlier bench runs.
  out('priming tiers as of slot - 7 days');
  const primeTo = new Date(SLOT.getTime() - 7 * DAY);
  await orm.em.getConnection().execute("update users set tier = 'standard', tier_updated_at = null where tier <> 'standard'", [], 'run');
  await orm.em.getConnection().execute(applySql, [new Date(primeTo.getTime() - WINDOW_DAYS * DAY), primeTo, primeTo], 'run');
  for (const t of ['tier_changes', 'job_checkpoints', 'job_slots', 'outbox']) {
    await orm.em.getConnection().execute(`delete from ${t} where ${t === 'outbox' ? "json_value(payload, '$.jobKey')" : 'job_key'} = ?`, [JOB_KEY], 'run');
  }
  await orm.em.getConnection().execute('delete from job_fences where job_key = ?', [JOB_KEY], 'run');
  const from = new Date(SLOT.getTime() - WINDOW_DAYS * DAY);

  // Baseline: the whole recalculation as one UPDATE ... JOIN, timed, then rolled back.
  let baselineMs = 0;
  let baselineChanged = 0;
  await orm.em
    .fork()
    .transactional(async (tx) => {
      const t0 = Date.now();
      const res = await tx.execute<{ affectedRows: number }>(applySql, [from, SLOT, SLOT], 'run');
      baselineMs = Date.now() - t0;
      baselineChanged = res.affectedRows;
      throw new RollbackBaseline();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RollbackBaseline)) throw err;
    });
  out(`baseline (one SQL statement): ${total} users, ${baselineChanged} changed, ${(baselineMs / 1000).toFixed(2)} s`);

  // The job through the real worker wiring, started as runJob on its own task queue.
  const logger = createLogger('bench-worker', 'warn');
  const { deps, close } = await createJobDeps(config, logger, noopMetrics);
  const { worker, connection: nc } = await createWorker(config, deps);
  const running = worker.run();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const input: RunInput = {
    jobKey: JOB_KEY,
    kind: 'vip-recalculation',
    params: { windowDays: WINDOW_DAYS, chunkSize: bench.BENCH_CHUNK },
    timezone: 'UTC',
    definitionVersion: 1,
    retry: { maxAttempts: 3, initialIntervalMs: 1_000, maxIntervalMs: 10_000, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
    timeouts: { startToCloseMs: 3_600_000, heartbeatMs: 60_000 },
    lock: { required: true, ttlMs: 30_000 },
    slot: SLOT.toISOString(),
  };
  const t0 = Date.now();
  const summary = await client.workflow.execute('runJob', { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId: `tk-${JOB_KEY}-${randomUUID()}`, args: [input] });
  const jobMs = Date.now() - t0;
  const changed = (summary as { result: { counts: { changed: number }; chunks: number } }).result;
  out(`job (runJob through the worker): ${total} users, ${changed.counts.changed} changed, ${changed.chunks} chunks, ${(jobMs / 1000).toFixed(2)} s`);
  if (changed.counts.changed !== baselineChanged) out(`WARNING: the job changed ${changed.counts.changed} users, the baseline ${baselineChanged}`);

  const rate = (ms: number) => Math.round(total / (ms / 1000));
  out(`baseline ${rate(baselineMs)} rows/s, job ${rate(jobMs)} rows/s, job/baseline time ratio ${(jobMs / baselineMs).toFixed(2)}x (target <= 1.5x)`);
  reportFigures(
    [
      {
        bench: 'jobs',
        name: `vip-recalculation, ${total.toLocaleString('en-US')} users`,
        unit: 's',
        figure: jobMs / 1000,
        baseline: baselineMs / 1000,
        baselineName: 'the same recalculation as one set-based UPDATE ... JOIN, timed and rolled back',
        target: { maxRatio: 1.5 },
        ...(changed.counts.changed !== baselineChanged ? { note: `the job changed ${changed.counts.changed} users, the baseline ${baselineChanged}` } : {}),
      },
    ],
    bench.BENCH_RESULT_FILE,
  );

  worker.shutdown();
  await running;
  await nc.close();
  await connection.close();
  await close();
  await orm.close(true);
}

class RollbackBaseline extends Error {}

runBench('jobs', main);
