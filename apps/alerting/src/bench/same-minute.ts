// N schedules firing on the same minute (default 1,000), issue 10's start-rate figure. Prints, in one run:
//   floor        N bare Temporal schedules on one minute, starting a workflow type no worker polls:
//                fire time -> the last workflow start (what the namespace's start rate allows)
//   bare runs    the same, starting a trivial workflow with one trivial activity on 2 bare workers:
//                the floor for schedules whose runs do work on the same server
//   timekeeper   N Timekeeper jobs on another minute (definitions, schedules as the syncer writes them, 2
//                workers, the alerting service at its default pass rates): fire time -> the last workflow start, the last slot
//                started in the ledger, and the last verdict; and how many slots started and got one
// with the ratio of the last starts to each baseline (target: <= 1.1x).
//   set -a; source .data/infra.env; set +a; pnpm --filter @timekeeper/alerting bench:same-minute [-- N]
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { BenchEnvSchema, reportFigures } from '@timekeeper/bench';
import { createSmokeActivities, workflowsPath } from '@timekeeper/jobs';
import { dstScheduleIdFor, JobSpec, parseDuration, scheduleIdFor } from '@timekeeper/contracts';
import { utcDate } from '@timekeeper/db';
import { deleteSchedule } from '@timekeeper/scheduling';
import { eachLimit, loadConfigOrExit } from '@timekeeper/runtime';
import { createHarness, sleep } from '../testing/harness';

// `pnpm … bench:x -- N` passes the `--` through.
const N = Number(process.argv.slice(2).find((a) => a !== '--') ?? 1_000);
const out = (s: string) => process.stdout.write(`${s}\n`);
// Under `pnpm bench` (packages/bench): where its figures go.
const benchEnv = loadConfigOrExit(BenchEnvSchema);
/**
 * The jobs' grace period: the product's default (2 minutes), not the test harness's 2 s. With 2 s, each
 * slot the scheduler starts more than 2 s late raises a late_start warning: the figure would include
 * up to a thousand warnings through MySQL, the outbox and Kafka, which is not what an operator's
 * defaults give.
 */
const GRACE_MS = parseDuration(JobSpec.properties.gracePeriod.default as string);

/** The next whole minute at least `leadMs` away, and a cron that fires at that minute only (daily). */
function nextMinute(leadMs: number): { at: Date; cron: string } {
  const at = new Date(Math.ceil((Date.now() + leadMs) / 60_000) * 60_000);
  return { at, cron: `${at.getUTCMinutes()} ${at.getUTCHours()} * * *` };
}

/**
 * Waits until `want` workflows match `query` (or the deadline passes), then lists them once. The wait
 * polls a count: listing a thousand executions every second was itself work for the server under
 * test, and more of it the longer a phase ran.
 */
async function listOnce(client: Client, query: string, want: number, deadline: number): Promise<WorkflowExecutionInfo[]> {
  while ((await client.workflow.count(query)).count < want && Date.now() <= deadline) await sleep(1_000);
  const found: WorkflowExecutionInfo[] = [];
  for await (const wf of client.workflow.list({ query })) found.push(wf);
  return found;
}

/** Start times of the workflows whose id starts with `prefix`, once `want` of them exist (or the deadline passes). */
async function startsOf(client: Client, prefix: string, want: number, deadline: number): Promise<number[]> {
  const found = await listOnce(client, `WorkflowId STARTS_WITH "${prefix}"`, want, deadline);
  return found.map((wf) => wf.startTime.getTime()).sort((a, b) => a - b);
}

/** The last close time of the workflows whose id starts with `prefix`, once `want` of them closed (or the deadline passes). */
async function lastCloseOf(client: Client, prefix: string, want: number, deadline: number): Promise<{ closed: number; last: number }> {
  const found = await listOnce(client, `WorkflowId STARTS_WITH "${prefix}" AND ExecutionStatus != "Running"`, want, deadline);
  return { closed: found.length, last: found.length ? Math.max(...found.map((wf) => wf.closeTime?.getTime() ?? Number.NaN)) : Number.NaN };
}

/** CPU seconds of a process from /proc (user + system), or NaN if it is not there. */
function procCpuS(pid: number | null): number {
  if (!pid) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}

/** The local Temporal dev server's pid, to say how much CPU each phase cost it (null elsewhere). */
function temporalPid(): number | null {
  try {
    return Number(execFileSync('pgrep', ['-of', 'temporal server start-dev'], { encoding: 'utf8' }).trim()) || null;
  } catch {
    return null;
  }
}

/** From now on: CPU seconds of the Temporal server and of this process (its workers and alerting service). */
function cpuMeter(): () => string {
  const pid = temporalPid();
  const t0 = procCpuS(pid);
  const self0 = process.cpuUsage();
  return () => {
    const self = process.cpuUsage(self0);
    return `CPU: Temporal ${(procCpuS(pid) - t0).toFixed(1)} s, this process ${((self.user + self.system) / 1e6).toFixed(1)} s`;
  };
}

/** N bare schedules on the next free minute, starting `workflowType` on `taskQueue`: fire time -> each workflow start. */
async function bareMinute(client: Client, idPrefix: string, ids: string[], workflowType: string, taskQueue: string): Promise<{ at: Date; starts: number[]; cpu: () => string }> {
  const at = nextMinute(90_000);
  out(`${idPrefix}: ${ids.length} bare schedules firing at ${at.at.toISOString()}…`);
  await eachLimit(ids, 16, (scheduleId) =>
    client.schedule
      .create({
        scheduleId,
        spec: { cronExpressions: [at.cron] },
        action: { type: 'startWorkflow', workflowType, workflowId: `${scheduleId}-wf`, taskQueue, args: ['bench'] },
        policies: { catchupWindow: '5m' },
      })
      .then(() => undefined),
  );
  await sleep(at.at.getTime() - Date.now()); // the meter starts at the fire time
  const cpu = cpuMeter();
  return { at: at.at, starts: await startsOf(client, idPrefix, ids.length, at.at.getTime() + 300_000), cpu };
}

async function removeBare(client: Client, ids: string[]): Promise<void> {
  await eachLimit(ids, 16, async (s) => {
    await client.schedule.getHandle(s).delete().catch(() => undefined);
    await client.workflow.getHandle(`${s}-wf`).terminate('bench done').catch(() => undefined);
  });
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const h = await createHarness('bench_same_minute');
  const id = randomUUID().slice(0, 6);
  const floorIds = Array.from({ length: N }, (_, i) => `tkbench-floor-${id}-${i}`);
  const bareIds = Array.from({ length: N }, (_, i) => `tkbench-bare-${id}-${i}`);
  const keys = Array.from({ length: N }, (_, i) => `bsm${id}-${String(i).padStart(4, '0')}`);
  const bareWorkers: Array<{ worker: Worker; running: Promise<void>; nc: NativeConnection }> = [];
  try {
    // The floor: bare schedules, no worker, nothing of Timekeeper's on the path.
    const floor = await bareMinute(h.temporal, `tkbench-floor-${id}-`, floorIds, 'bareNoop', `floor-${id}`);
    const floorLast = floor.starts.length ? floor.starts[floor.starts.length - 1] - floor.at.getTime() : NaN;
    const floorCpu = floor.cpu();
    await removeBare(h.temporal, floorIds);

    // Bare runs: the same, with 2 bare workers running a trivial workflow and activity.
    const bareQueue = `bare-${id}`;
    for (let i = 0; i < 2; i++) {
      const nc = await NativeConnection.connect({ address: h.config.TEMPORAL_ADDRESS });
      const worker = await Worker.create({ connection: nc, taskQueue: bareQueue, workflowsPath, activities: createSmokeActivities(), shutdownGraceTime: '1s' });
      bareWorkers.push({ worker, running: worker.run(), nc });
    }
    const bare = await bareMinute(h.temporal, `tkbench-bare-${id}-`, bareIds, 'smokeWorkflow', bareQueue);
    const bareLast = bare.starts.length ? bare.starts[bare.starts.length - 1] - bare.at.getTime() : NaN;
    const bareClosed = await lastCloseOf(h.temporal, `tkbench-bare-${id}-`, N, bare.at.getTime() + 300_000);
    const bareCpu = bare.cpu();
    for (const w of bareWorkers.splice(0)) {
      w.worker.shutdown();
      await w.running.catch(() => undefined);
      await w.nc.close();
    }
    await removeBare(h.temporal, bareIds);

    // Timekeeper: the same on another minute, through the real worker, ledger and sweeper.
    await h.startWorker();
    await h.startWorker();
    h.startService({}, 'defaults'); // the app's own pass rates, not the suites' test speed
    // Far enough ahead that the sweeper has planned every job before the minute: the figure is the
    // steady state of jobs defined earlier, not the one-off cost of defining a thousand at once.
    const tk = nextMinute(240_000);
    out(`timekeeper: ${N} jobs firing at ${tk.at.toISOString()} (2 workers, the alerting service; grace period ${GRACE_MS / 1000} s)…`);
    await eachLimit(keys, 16, (key) =>
      h.createJob(key, { cron: tk.cron, catchupWindowMs: 300_000, gracePeriodMs: GRACE_MS, params: { chunks: 1, chunkMs: 1 } }).then(() => undefined),
    );
    const plannedCount = async () =>
      Number((await h.sql<Array<{ n: number }>>("select count(*) as n from job_slots where job_key like ? and nominal_time = ?", [`bsm${id}-%`, tk.at]))[0].n);
    let planned = await plannedCount();
    while (planned < N && Date.now() < tk.at.getTime()) {
      await sleep(1_000);
      planned = await plannedCount();
    }
    out(`  ${planned}/${N} slots planned by the sweeper ${secs(tk.at.getTime() - Date.now())} before the fire time`);
    // The meters start at the fire time, as the baselines' do: the minutes before it are the steady
    // state (listings, drift checks), not the cost of the burst.
    await sleep(tk.at.getTime() - Date.now());
    const tkCpu = cpuMeter();
    const callsBefore = new Map(h.serviceCalls);
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
    const tkCpuUsed = tkCpu();
    const calls = [...h.serviceCalls]
      .map(([method, n]) => [method, n - (callsBefore.get(method) ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);

    const ratio = (base: number) => `${(tkLast / base).toFixed(2)}x`;
    out(`\n${N} schedules on one minute (Temporal dev server, this machine)`);
    out(`floor (bare schedules, no worker):        ${floor.starts.length}/${N} started, last start ${secs(floorLast)} after the fire time`);
    out(`bare runs (trivial workflow + activity):  ${bare.starts.length}/${N} started, last start ${secs(bareLast)}; ${bareClosed.closed}/${N} closed, last ${secs(bareClosed.last - bare.at.getTime())}`);
    out(`timekeeper:                               ${tkStarts.length}/${N} started, last workflow start ${secs(tkLast)}  (${ratio(floorLast)} the floor, ${ratio(bareLast)} bare runs; target <= 1.1x)`);
    out(`  ledger: ${Number(row.started)}/${N} slots started (last ${secs(d(row.lastStart))}), ${Number(row.judged)}/${N} with a verdict (last ${secs(d(row.lastVerdict))})`);
    out(`  from the fire time to the end of each phase: floor ${floorCpu}; bare runs ${bareCpu}; timekeeper ${tkCpuUsed}`);
    out(`  alerting's Temporal calls in that phase: ${calls.map(([m, n]) => `${m} ${n}`).join(', ') || 'none'}`);
    out(`  the start-rate floor at Temporal's default 30 starts/s: ${secs((N / 30) * 1000)}`);
    const slots = { bench: 'same-minute', unit: 'slots', baseline: N, baselineName: 'jobs', target: { minRatio: 1 } };
    reportFigures(
      [
        { bench: 'same-minute', name: `last workflow start after the fire time (${N} jobs)`, unit: 'ms', figure: tkLast, baseline: bareLast, baselineName: `${N} bare schedules with a trivial workflow and activity on 2 bare workers, another minute, same run`, target: { maxRatio: 1.1 } },
        { bench: 'same-minute', name: 'the floor: last start of bare schedules, no worker', unit: 'ms', figure: floorLast },
        { ...slots, name: 'slots started (ledger)', figure: Number(row.started) },
        { ...slots, name: 'slots with a verdict', figure: Number(row.judged) },
        { bench: 'same-minute', name: 'last verdict after the fire time', unit: 'ms', figure: d(row.lastVerdict) },
      ],
      benchEnv.BENCH_RESULT_FILE,
    );
  } finally {
    out('cleaning up…');
    for (const w of bareWorkers) {
      w.worker.shutdown();
      await w.running.catch(() => undefined);
      await w.nc.close();
    }
    await removeBare(h.temporal, [...floorIds, ...bareIds]);
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
