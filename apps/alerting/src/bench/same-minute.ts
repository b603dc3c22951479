// N schedules firing on the same minute (default 1,000), issue 10's start-rate figure. Prints, in one run:
//   baseline     N bare Temporal schedules on one minute, starting a workflow type no worker polls:
//                fire time -> the last workflow start (what the namespace's start rate allows)
//   timekeeper   N Timekeeper jobs on another minute (definitions, schedules as the syncer writes them, a
//                worker, the alerting service): fire time -> the last workflow start, the last slot
//                started in the ledger, and the last verdict; and how many slots started and got one
// with the ratio of the last starts (target: <= 1.1x the baseline's).
//   set -a; source .data/infra.env; set +a; pnpm --filter @timekeeper/alerting bench:same-minute [-- N]
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { BenchEnvSchema, reportFigures } from '@timekeeper/bench';
import { dstScheduleIdFor, scheduleIdFor } from '@timekeeper/contracts';
import { utcDate } from '@timekeeper/db';
import { deleteSchedule } from '@timekeeper/scheduling';
import { loadConfigOrExit } from '@timekeeper/runtime';
import { createHarness, sleep } from '../testing/harness';
import { eachLimit } from '../sweeper/each-limit';

// `pnpm … bench:x -- N` passes the `--` through.
const N = Number(process.argv.slice(2).find((a) => a !== '--') ?? 1_000);
const out = (s: string) => process.stdout.write(`${s}\n`);
// Under `pnpm bench` (packages/bench): where its figures go.
const benchEnv = loadConfigOrExit(BenchEnvSchema);

/** The next whole minute at least `leadMs` away, and a cron that fires at that minute only (daily). */
function nextMinute(leadMs: number): { at: Date; cron: string } {
  const at = new Date(Math.ceil((Date.now() + leadMs) / 60_000) * 60_000);
  return { at, cron: `${at.getUTCMinutes()} ${at.getUTCHours()} * * *` };
}

/** Start times of the workflows whose id starts with `prefix`, once `want` of them exist (or the deadline passes). */
async function startsOf(client: Client, prefix: string, want: number, deadline: number): Promise<number[]> {
  for (;;) {
    const starts: number[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId STARTS_WITH "${prefix}"` })) starts.push(wf.startTime.getTime());
    if (starts.length >= want || Date.now() > deadline) return starts.sort((a, b) => a - b);
    await sleep(1_000);
  }
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const h = await createHarness('bench_same_minute');
  const id = randomUUID().slice(0, 6);
  const bareIds = Array.from({ length: N }, (_, i) => `tkbench-bare-${id}-${i}`);
  const keys = Array.from({ length: N }, (_, i) => `bsm${id}-${String(i).padStart(4, '0')}`);
  try {
    // Baseline: bare schedules, nothing of Timekeeper's on the path.
    const bare = nextMinute(90_000);
    out(`baseline: ${N} bare schedules firing at ${bare.at.toISOString()}…`);
    await eachLimit(bareIds, 16, (scheduleId) =>
      h.temporal.schedule
        .create({
          scheduleId,
          spec: { cronExpressions: [bare.cron] },
          action: { type: 'startWorkflow', workflowType: 'bareNoop', workflowId: `${scheduleId}-wf`, taskQueue: `bare-${id}`, args: [] },
          policies: { catchupWindow: '5m' },
        })
        .then(() => undefined),
    );
    const bareStarts = await startsOf(h.temporal, `tkbench-bare-${id}-`, N, bare.at.getTime() + 300_000);
    const bareLast = bareStarts.length ? bareStarts[bareStarts.length - 1] - bare.at.getTime() : NaN;
    await eachLimit(bareIds, 16, async (s) => {
      await h.temporal.schedule.getHandle(s).delete().catch(() => undefined);
      await h.temporal.workflow.getHandle(`${s}-wf`).terminate('bench done').catch(() => undefined);
    });

    // Timekeeper: the same on another minute, through the real worker, ledger and sweeper.
    await h.startWorker();
    await h.startWorker();
    h.startService();
    const tk = nextMinute(120_000);
    out(`timekeeper: ${N} jobs firing at ${tk.at.toISOString()} (2 workers, the alerting service)…`);
    await eachLimit(keys, 16, (key) =>
      h.createJob(key, { cron: tk.cron, catchupWindowMs: 300_000, params: { chunks: 1, chunkMs: 1 } }).then(() => undefined),
    );
    const tkStarts = await startsOf(h.temporal, `tk-bsm${id}-`, N, tk.at.getTime() + 300_000);
    const tkLast = tkStarts.length ? tkStarts[tkStarts.length - 1] - tk.at.getTime() : NaN;
    type Row = { started: number; judged: number; lastStart: string | null; lastVerdict: string | null };
    const ledger = async () =>
      (
        await h.sql<Row[]>(
          `select sum(started_at is not null) as started, sum(status in ('succeeded','failed','timed_out','cancelled','superseded','skipped','missed')) as judged,
                  max(started_at) as lastStart, max(finished_at) as lastVerdict
           from job_slots where job_key like ? and nominal_time = ?`,
          [`bsm${id}-%`, tk.at],
        )
      )[0];
    let row = await ledger();
    for (const deadline = Date.now() + 300_000; Number(row.judged) < N && Date.now() < deadline; row = await ledger()) await sleep(2_000);
    const d = (v: Date | string | null) => (v ? utcDate(v).getTime() - tk.at.getTime() : NaN);

    out(`\n${N} schedules on one minute (Temporal dev server, this machine)`);
    out(`baseline (bare schedules, no worker):  ${bareStarts.length}/${N} started, last start ${secs(bareLast)} after the fire time`);
    out(`timekeeper:                            ${tkStarts.length}/${N} started, last workflow start ${secs(tkLast)}  (${(tkLast / bareLast).toFixed(2)}x the baseline; target <= 1.1x)`);
    out(`  ledger: ${Number(row.started)}/${N} slots started (last ${secs(d(row.lastStart))}), ${Number(row.judged)}/${N} with a verdict (last ${secs(d(row.lastVerdict))})`);
    out(`  the start-rate floor at Temporal's default 30 starts/s: ${secs((N / 30) * 1000)}`);
    const slots = { bench: 'same-minute', unit: 'slots', baseline: N, baselineName: 'jobs', target: { minRatio: 1 } };
    reportFigures(
      [
        { bench: 'same-minute', name: `last workflow start after the fire time (${N} jobs)`, unit: 'ms', figure: tkLast, baseline: bareLast, baselineName: `${N} bare schedules on another minute, same run`, target: { maxRatio: 1.1 } },
        { ...slots, name: 'slots started (ledger)', figure: Number(row.started) },
        { ...slots, name: 'slots with a verdict', figure: Number(row.judged) },
        { bench: 'same-minute', name: 'last verdict after the fire time', unit: 'ms', figure: d(row.lastVerdict) },
      ],
      benchEnv.BENCH_RESULT_FILE,
    );
  } finally {
    out('cleaning up…');
    await eachLimit(bareIds, 16, (s) => h.temporal.schedule.getHandle(s).delete().catch(() => undefined));
    await eachLimit(keys, 16, async (k) => {
      await deleteSchedule(h.temporal, scheduleIdFor(k)).catch(() => undefined);
      await deleteSchedule(h.temporal, dstScheduleIdFor(k)).catch(() => undefined);
    });
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
