// `pnpm bench --only cost-curve`: what the stack costs as the number of jobs grows. For each size
// (default 10, 100 and 1,000 jobs, each on a one-minute cron; 5,000 with BENCH_SIZES) the API, worker and alerting run
// as their built servers on a database of their own; after a warm-up, each app's CPU (share of one
// core) and resident memory are sampled over a steady window from /proc, with GET /v1/jobs's p99
// under a light paced load and the slots that succeeded against those due. Shared services
// (MariaDB, Temporal, Kafka) serve other users of the machine too, so their cost is not attributed.
// Baseline per size: the 10-job figure scaled linearly, so a ratio <= 1 means linear or better.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { Client, Connection } from '@temporalio/client';
import { createOrm, migrate, recreateDatabase } from '@timekeeper/db';
import { loadConfigOrExit } from '@timekeeper/runtime';
import { deleteSchedule, listOwnedScheduleIds } from '@timekeeper/scheduling';
import { httpLoad } from './http-load';
import { BenchEnvSchema, reportFigures, runBench, StackEnvSchema, type StackEnv } from './report';
import type { BenchFigure } from './figures';
import { startStack, type Stack } from './stack';

const config = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    StackEnvSchema,
    Type.Object({
      // 5,000 one-minute jobs are 83 workflow starts a second, past what the Temporal dev server's SQLite
      // scheduler starts (about 20 a second, same-minute benchmark): add it on a real cluster.
      BENCH_SIZES: Type.String({ pattern: '^\\d+(,\\d+)*$', default: '10,100,1000' }),
      BENCH_WARMUP_S: Type.Integer({ minimum: 0, maximum: 3_600, default: 120 }),
      BENCH_WINDOW_S: Type.Integer({ minimum: 10, maximum: 3_600, default: 180 }),
      BENCH_PORT_BASE: Type.Integer({ minimum: 1024, maximum: 65_000, default: 5900 }),
    }),
  ]),
);
const APPS = ['api', 'worker', 'alerting'] as const;
type App = (typeof APPS)[number];
const out = (s: string) => process.stdout.write(`cost-curve: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tag = randomUUID().slice(0, 8);
const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) and resident MB of a process, from /proc. */
function sample(pid: number): { cpuS: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / TICKS;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS, rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN };
}

/**
 * Creates jobs `from`..`to`-1 through the API (each gets its Temporal schedule), 16 at a time: one
 * create waits on a few MySQL writes and Temporal calls, so the rate is bounded by round trips.
 */
async function createJobs(s: Stack, from: number, to: number): Promise<void> {
  let next = from;
  const t0 = Date.now();
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const body = {
        key: `cost-${String(i).padStart(5, '0')}`,
        name: `Cost curve job ${i}`,
        kind: 'synthetic',
        params: { chunks: 1, chunkMs: 0 },
        schedule: { cron: '* * * * *', timezone: 'UTC', overlapPolicy: 'skip', catchupWindow: '1m' },
        tags: ['bench'],
      };
      const res = await fetch(`${s.apiUrl}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201 && res.status !== 202) throw new Error(`POST /v1/jobs ${body.key}: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  out(`  ${to - from} jobs created in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

async function succeededBetween(databaseUrl: string, from: Date, to: Date): Promise<number> {
  const orm = await createOrm({ url: databaseUrl, poolMax: 1 });
  try {
    const [row] = await orm.em
      .getConnection()
      .execute<Array<{ n: number }>>("select count(*) as n from job_slots where status = 'succeeded' and nominal_time >= ? and nominal_time < ?", [from, to]);
    return Number(row.n);
  } finally {
    await orm.close(true);
  }
}

type Point = { jobs: number; cpu: Record<App, number>; rss: Record<App, number>; p99: number; succeeded: number; due: number };

async function main(): Promise<void> {
  const sizes = config.BENCH_SIZES.split(',').map(Number).sort((a, b) => a - b);
  const url = new URL(config.DATABASE_URL);
  url.pathname = `${url.pathname}_bench_cost`;
  const databaseUrl = url.toString();
  await recreateDatabase(databaseUrl);
  const orm = await createOrm({ url: databaseUrl, poolMax: 1 });
  await migrate(orm);
  await orm.close(true);

  const stack = await startStack({ apps: ['api', 'worker', 'alerting'], services: config, databaseUrl, portBase: config.BENCH_PORT_BASE, tag: `cost-${tag}` });
  const points: Point[] = [];
  try {
    let have = 0;
    for (const n of sizes) {
      out(`${n} jobs: creating ${n - have} more`);
      await createJobs(stack, have, n);
      have = n;
      out(`${n} jobs: warm-up ${config.BENCH_WARMUP_S} s`);
      await sleep(config.BENCH_WARMUP_S * 1000);
      // The window starts and ends on minute boundaries, so `due` is exact.
      const start = Math.ceil(Date.now() / 60_000) * 60_000;
      await sleep(start - Date.now());
      const before = Object.fromEntries(APPS.map((a) => [a, sample(stack.procs[a]!.pid!)])) as Record<App, ReturnType<typeof sample>>;
      const t0 = Date.now();
      const windowS = Math.ceil(config.BENCH_WINDOW_S / 60) * 60;
      // A light, paced read load (5 req/s) for the API's p99 while the jobs run.
      const load = await httpLoad({ url: `${stack.apiUrl}/v1/jobs`, headers: { authorization: `Bearer ${stack.adminKey}` } }, { seconds: windowS, connections: 2, rate: 5 });
      await sleep(Math.max(0, start + windowS * 1000 - Date.now()));
      const wall = (Date.now() - t0) / 1000;
      const after = Object.fromEntries(APPS.map((a) => [a, sample(stack.procs[a]!.pid!)])) as Record<App, ReturnType<typeof sample>>;
      // Let the window's last slots finish before counting them.
      await sleep(20_000);
      const succeeded = await succeededBetween(databaseUrl, new Date(start), new Date(start + windowS * 1000));
      const p: Point = {
        jobs: n,
        cpu: Object.fromEntries(APPS.map((a) => [a, (100 * (after[a].cpuS - before[a].cpuS)) / wall])) as Record<App, number>,
        rss: Object.fromEntries(APPS.map((a) => [a, after[a].rssMb])) as Record<App, number>,
        p99: load.p99,
        succeeded,
        due: (n * windowS) / 60,
      };
      points.push(p);
      out(
        `${n} jobs: ${APPS.map((a) => `${a} ${p.cpu[a].toFixed(1)}% cpu ${p.rss[a].toFixed(0)} MB`).join(', ')}; GET /v1/jobs p99 ${p.p99} ms; ` +
          `${p.succeeded} of ${p.due} due slots succeeded`,
      );
    }
  } finally {
    await stack.stop();
    await deleteSchedules(config, stack.instance);
  }

  const header = ['jobs', ...APPS.flatMap((a) => [`${a} cpu %`, `${a} MB`]), 'API p99 ms', 'slots ok/due'];
  const rows = points.map((p) => [String(p.jobs), ...APPS.flatMap((a) => [p.cpu[a].toFixed(1), p.rss[a].toFixed(0)]), String(p.p99), `${p.succeeded}/${p.due}`]);
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  process.stdout.write(`\n${[header, ...rows].map((r) => r.map((c, i) => c.padStart(w[i])).join('  ')).join('\n')}\n`);

  const first = points[0];
  const figures: BenchFigure[] = [];
  for (const p of points.slice(1)) {
    const scale = p.jobs / first.jobs;
    const linear = `the ${first.jobs}-job figure x ${scale} (linear growth)`;
    for (const a of APPS) {
      figures.push({ bench: 'cost-curve', name: `${p.jobs} jobs: ${a} CPU`, unit: '% core', figure: p.cpu[a], baseline: first.cpu[a] * scale, baselineName: linear, target: { maxRatio: 1 } });
    }
    figures.push({ bench: 'cost-curve', name: `${p.jobs} jobs: GET /v1/jobs p99 at 5 req/s`, unit: 'ms', figure: p.p99, baseline: first.p99 });
    figures.push({ bench: 'cost-curve', name: `${p.jobs} jobs: slots succeeded`, unit: 'slots', figure: p.succeeded, baseline: p.due, target: { minRatio: 0.99 } });
  }
  if (points.length === 1) figures.push({ bench: 'cost-curve', name: `${first.jobs} jobs: worker CPU`, unit: '% core', figure: first.cpu.worker });
  reportFigures(figures, config.BENCH_RESULT_FILE);
}

/** Removes the schedules this run created (its own instance), whatever state the API was left in. */
async function deleteSchedules(services: StackEnv, instance: string): Promise<void> {
  const connection = await Connection.connect({ address: services.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: services.TEMPORAL_NAMESPACE });
    for (const id of await listOwnedScheduleIds(client, instance)) await deleteSchedule(client, id);
  } finally {
    await connection.close();
  }
}

runBench('cost-curve', main);
