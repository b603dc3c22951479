// Sweeper cost at scale: N jobs on a one-minute cron (default 2,000). Prints, in one run:
//   baseline  a bare loop of DescribeSchedule over the N schedules (same concurrency as the sweeper)
//   steady    one sweeper pass (describe, drift check, snapshots, plan upkeep, open-row scan)
//   verdicts  one pass that judges one past slot of every job (N verdicts), and the reporter pass
//             that turns them into run events and alerts
// with wall time, the ratio to the baseline and this process's CPU (cores busy during the pass).
// The schedules are paused (in Timekeeper and in Temporal alike, so no drift) so that the shared
// Temporal server does not start N workflows a minute; a paused slot is judged like any other
// (describe its workflow, read the scheduler's progress, write the verdict).
//   set -a; source .data/infra.env; set +a; pnpm --filter @timekeeper/alerting bench:sweep [-- N]
import { randomUUID } from 'node:crypto';
import { BenchEnvSchema, reportFigures } from '@timekeeper/bench';
import { eachLimit, loadConfigOrExit } from '@timekeeper/runtime';
import { dstScheduleIdFor, scheduleIdFor } from '@timekeeper/contracts';
import { JobDefinition } from '@timekeeper/db';
import { applySchedule, checkCron, deleteSchedule, describeSchedule } from '@timekeeper/scheduling';
import { createHarness, sleep } from '../testing/harness';
import { Reporter } from '../sweeper/reporter';
import { Sweeper } from '../sweeper/sweeper';

// `pnpm … bench:x -- N` passes the `--` through.
const N = Number(process.argv.slice(2).find((a) => a !== '--') ?? 2_000);
const CONCURRENCY = 32;
// Under `pnpm bench` (packages/bench): where its figures go.
const benchEnv = loadConfigOrExit(BenchEnvSchema);

/** Wall time and CPU (user + system) of one call. */
async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

/** Setup only: a busy dev server refuses some of thousands of calls; try again (the figures measure passes, not setup). */
async function retrying<T>(fn: () => Promise<T>, tries = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await sleep(500 * 2 ** i);
    }
  }
}

async function main(): Promise<void> {
  const h = await createHarness('bench_sweep');
  const prefix = `bsw${randomUUID().slice(0, 6)}`;
  const keys = Array.from({ length: N }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
  const cron = checkCron('* * * * *');
  if (!cron.ok) throw new Error(cron.message);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    out(`setting up ${N} jobs on a one-minute cron (definitions, Temporal schedules)…`);
    const em = h.orm.em.fork();
    for (const key of keys) {
      em.persist(
        Object.assign(new JobDefinition(), {
          key, name: key, kind: 'synthetic', params: { chunks: 1, chunkMs: 10 }, cron: '* * * * *', intervalMs: null,
          overlapPolicy: 'skip', catchupWindowMs: 60_000, paused: true,
          retry: { maxAttempts: 1, initialIntervalMs: 100, maxIntervalMs: 500, backoffCoefficient: 2, nonRetryableErrorTypes: [] },
          timeouts: { runMs: 60_000, startToCloseMs: 30_000, heartbeatMs: 5_000 }, lockRequired: false, gracePeriodMs: 5_000,
          syncStatus: 'synced', createdAt: new Date(Date.now() - 3_600_000),
        }),
      );
    }
    await em.flush();
    const setup = await measure(() =>
      eachLimit(keys, 16, async (key) => {
        const print = await retrying(() => applySchedule(h.temporal, {
          scheduleId: scheduleIdFor(key), dstScheduleId: dstScheduleIdFor(key), dstWindows: [], jobKey: key, instance: `bench-${prefix}`, temporalCron: cron.temporalCron, intervalMs: null,
          timezone: 'UTC', jitterMs: 0, overlapPolicy: 'skip', catchupWindowMs: 60_000, paused: true, pauseNote: 'bench', runTimeoutMs: 60_000,
          taskQueue: h.taskQueue, input: h.runInput(key, { chunks: 1, chunkMs: 10 }),
        }));
        await h.orm.em.fork().execute('update job_definitions set schedule_fingerprint = ? where `key` = ?', [print, key]);
      }),
    );
    out(`  ${N} schedules created in ${(setup.ms / 1000).toFixed(1)} s`);

    const ctx = h.sweepContext({ planHorizonMs: 86_400_000, planMaxSlots: 1_500, firstPlanLookbackMs: 600_000, windowMs: 172_800_000, recheckMs: 15_000, concurrency: CONCURRENCY, driftCheckMs: 300_000 });
    const sweeper = new Sweeper(ctx);
    const reporter = new Reporter(ctx);
    const warm = await measure(() => sweeper.pass()); // loads watches, first snapshots
    out(`  first pass (cold: first snapshot of every schedule): ${warm.ms.toFixed(0)} ms`);

    const rows: string[] = [];
    const phases = (v: unknown) => {
      const p = (v as { phases?: Record<string, number> } | undefined)?.phases;
      return p ? `  (${Object.entries(p).map(([k, ms]) => `${k} ${ms}`).join(', ')} ms)` : '';
    };
    const line = (name: string, m: { ms: number; cpuMs: number; value?: unknown }, base?: number) =>
      rows.push(`${name.padEnd(44)} ${m.ms.toFixed(0).padStart(7)} ms  ${base ? `${(m.ms / base).toFixed(2)}x`.padStart(6) : '      '}  cpu ${(m.cpuMs / m.ms).toFixed(2)} cores${phases(m.value)}`);

    const baseline = await measure(() => eachLimit(keys, CONCURRENCY, async (k) => void (await describeSchedule(h.temporal, scheduleIdFor(k)))));
    line(`baseline: ${N} DescribeSchedule, ${CONCURRENCY} at once`, baseline);
    const steady = await measure(() => sweeper.pass());
    line(`sweeper pass, ${N} jobs, nothing due (${steady.value.described} described)`, steady, baseline.ms);
    const steady2 = await measure(() => sweeper.pass());
    line(`sweeper pass, ${N} jobs, nothing due (again)`, steady2, baseline.ms);

    // One slot per job, due now: the next whole minute once it has passed (plus the 5 s grace).
    // Paused through it, each is missed (paused), after the same describes an unpaused slot needs.
    const slot = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    out(`  waiting for the ${slot.toISOString()} slot to pass…`);
    await sleep(slot.getTime() + 6_000 - Date.now());
    const ins = h.orm.em.fork();
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      await ins.execute(
        `insert ignore into job_slots (job_key, nominal_time, kind, status, runs, revision, report_pending, created_at, updated_at) values ${batch.map(() => "(?, ?, 'synthetic', 'planned', 0, 0, 0, now(3), now(3))").join(', ')}`,
        batch.flatMap((k) => [k, slot]),
      );
    }
    const judged = await measure(() => sweeper.pass());
    line(`sweeper pass, ${N} jobs, ${judged.value.verdicts} verdicts`, judged, baseline.ms);
    if (judged.value.failedJobs) out(`  (${judged.value.failedJobs} job sweeps failed: ${judged.value.lastError})`);
    const reported = await measure(() => reporter.pass());
    line(`reporter pass, ${reported.value} verdicts -> events, alerts`, reported);
    const baseline2 = await measure(() => eachLimit(keys, CONCURRENCY, async (k) => void (await describeSchedule(h.temporal, scheduleIdFor(k)))));
    line(`baseline again`, baseline2);

    const [{ n }] = await h.sql<Array<{ n: number }>>("select count(*) as n from job_slots where status = 'missed' and nominal_time = ?", [slot]);
    out(`\nsweep over ${N} jobs on a one-minute cron (sweeper concurrency ${CONCURRENCY}); slots judged missed: ${n}/${N}`);
    rows.forEach(out);
    out(`target: a pass <= 2000 ms, alerting CPU <= 1 core`);
    const common = { bench: 'sweep', unit: 'ms', baseline: baseline.ms, baselineName: `${N} DescribeSchedule calls, ${CONCURRENCY} at once, same run` };
    reportFigures(
      [
        { ...common, name: `sweeper pass, ${N} jobs, nothing due`, figure: steady2.ms, target: { max: 2000 } },
        { ...common, name: `sweeper pass, ${N} jobs, ${judged.value.verdicts} verdicts`, figure: judged.ms, target: { max: 2000 } },
        { bench: 'sweep', name: 'sweeper pass CPU (nothing due)', unit: 'cores', figure: steady2.cpuMs / steady2.ms, target: { max: 1 } },
        { bench: 'sweep', name: 'slots judged missed (paused)', unit: 'slots', figure: Number(n), baseline: N, baselineName: 'jobs', target: { minRatio: 1 } },
      ],
      benchEnv.BENCH_RESULT_FILE,
    );
  } finally {
    out('cleaning up schedules…');
    await eachLimit(keys, 16, (k) => deleteSchedule(h.temporal, scheduleIdFor(k)).catch(() => undefined));
    await h.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
