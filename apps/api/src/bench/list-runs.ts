// `pnpm bench --only api-runs` (or `pnpm --filter @timekeeper/api bench:runs`): the run listing over a
// large slot ledger through the whole API (auth, validation, query, DTO, response schema) against one
// prepared mysql2 query and JSON.stringify in a bare Fastify route reading the same rows, in the same
// run (rounds alternate). The ledger: BENCH_JOBS jobs on a one-minute cron, BENCH_LEDGER_ROWS judged
// slots back from now (1% failed, 0.5% missed), plus an hour of planned slots ahead and one running.
// 10M rows (the default) take about 4 minutes to generate on a loaded 2-core machine; the database is
// dropped afterwards unless BENCH_KEEP_DATA=true.
import { Type } from '@sinclair/typebox';
import { alternatingLoads, BenchEnvSchema, reportFigures, type BenchFigure, type LoadResult, type LoadTarget, runBench } from '@timekeeper/bench';
import { dropDatabase, JobDefinition } from '@timekeeper/db';
import { loadConfigOrExit } from '@timekeeper/runtime';
import Fastify from 'fastify';
import { createPool } from 'mysql2/promise';
import { jobBody, startHarness, type Harness } from '../testing/harness';
import { applyToEntity, mergeDefinition } from '../services/job-mapper';

const bench = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    Type.Object({
      BENCH_LEDGER_ROWS: Type.Integer({ minimum: 10_000, maximum: 50_000_000, default: 10_000_000 }),
      BENCH_KEEP_DATA: Type.Boolean({ default: false, description: 'Keep the generated database (dropped by default: 10M slots are about 3 GB)' }),
      BENCH_JOBS: Type.Integer({ minimum: 10, maximum: 10_000, default: 200 }),
      BENCH_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 5 }),
      BENCH_ROUNDS: Type.Integer({ minimum: 1, maximum: 20, default: 3 }),
      BENCH_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
    }),
  ]),
);
const out = (s: string) => process.stdout.write(`api-runs: ${s}\n`);
const MINUTE = 60_000;
const jobKey = (i: number) => `bench-${String(i).padStart(5, '0')}`;

/**
 * The ledger, set-based (INSERT ... SELECT over MariaDB's sequence engine) in slices of 250,000 rows,
 * oldest minute first: minute m (0 = the oldest) holds one slot of every job.
 */
async function seedLedger(h: Harness, now: Date): Promise<void> {
  const sql = (q: string, params: unknown[] = []) => h.orm.em.getConnection().execute(q, params, 'run');
  const jobs = bench.BENCH_JOBS;
  const minutes = Math.ceil(bench.BENCH_LEDGER_ROWS / jobs);
  const oldest = new Date(now.getTime() - minutes * MINUTE);
  const started = Date.now();
  const columns = 'job_key, nominal_time, kind, status, attempt, runs, workflow_id, started_at, finished_at, result, created_at, updated_at';
  const slice = 250_000;
  for (let first = 0; first < minutes * jobs; first += slice) {
    const last = Math.min(minutes * jobs, first + slice) - 1;
    await sql(
      `insert into job_slots (${columns})
       select concat('bench-', lpad(seq mod ?, 5, '0')), timestampadd(minute, seq div ?, ?), 'synthetic',
              case when seq mod 97 = 0 then 'failed' when seq mod 199 = 0 then 'missed' else 'succeeded' end,
              1, 1, concat('tk-', seq), timestampadd(microsecond, 200000, timestampadd(minute, seq div ?, ?)),
              timestampadd(microsecond, 1200000 + (seq mod 7) * 100000, timestampadd(minute, seq div ?, ?)),
              case when seq mod 97 = 0 then null else '{"chunks":2,"counts":{"chunks":2}}' end, ?, ?
       from seq_${first}_to_${last}`,
      [jobs, jobs, oldest, jobs, oldest, jobs, oldest, now, now],
    );
    if ((first / slice) % 8 === 7) out(`  ${(last + 1).toLocaleString('en-US')} rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  // What the sweeper and a worker keep: an hour of planned slots ahead of every job, the current minute running.
  await sql(
    `insert into job_slots (${columns})
     select concat('bench-', lpad(seq mod ?, 5, '0')), timestampadd(minute, seq div ?, ?), 'synthetic',
            if(seq div ? = 0, 'running', 'planned'), if(seq div ? = 0, 1, 0), if(seq div ? = 0, 1, 0), null, null, null, null, ?, ?
     from seq_0_to_${60 * jobs - 1}`,
    [jobs, jobs, now, jobs, jobs, jobs, now, now],
  );
  await sql('analyze table job_slots');
  out(`ledger: ${(minutes * jobs).toLocaleString('en-US')} judged slots of ${jobs} jobs (${(minutes / 1440).toFixed(1)} days) + ${60 * jobs} planned/running, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  const h = await startHarness('bench_runs');
  const em = h.orm.em.fork();
  for (let i = 0; i < bench.BENCH_JOBS; i++) {
    const job = new JobDefinition();
    applyToEntity(job, mergeDefinition(undefined, jobBody(jobKey(i)) as never));
    em.persist(Object.assign(job, { syncStatus: 'synced' }));
  }
  await em.flush();
  // Whole minutes, so every window below holds exactly its slots.
  const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  await seedLedger(h, now);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const api = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const ago = (minutes: number) => new Date(now.getTime() - Math.round(minutes) * MINUTE);
  const iso = (t: Date) => encodeURIComponent(t.toISOString());

  // Each case: the API request, and the same rows as the baseline reads them (a page + 1, as the API).
  const span = Math.ceil(bench.BENCH_LEDGER_ROWS / bench.BENCH_JOBS); // minutes of history
  const three = [jobKey(3), jobKey(77), jobKey(150 % bench.BENCH_JOBS)];
  const cases: Record<string, { label: string; api: string; sql: string; params: Array<string | Date> }> = {
    status: {
      label: 'GET /v1/runs?status=failed&from=-7d&to=now',
      api: `/v1/runs?status=failed&from=${iso(ago(7 * 1440))}&to=${iso(now)}`,
      sql: 'select * from job_slots where status = ? and nominal_time >= ? and nominal_time < ? order by nominal_time desc, id desc limit 51',
      params: ['failed', ago(7 * 1440), now],
    },
    job: {
      label: 'GET /v1/jobs/:key/runs?status=succeeded,failed&from&to (middle third of the ledger)',
      api: `/v1/jobs/${jobKey(7)}/runs?status=succeeded,failed&from=${iso(ago((2 * span) / 3))}&to=${iso(ago(span / 3))}`,
      sql: 'select * from job_slots where job_key = ? and status in (?, ?) and nominal_time >= ? and nominal_time < ? order by nominal_time desc limit 51',
      params: [jobKey(7), 'succeeded', 'failed', ago((2 * span) / 3), ago(span / 3)],
    },
    jobs: {
      label: 'GET /v1/runs?job=a,b,c&from=-24h&to=now',
      api: `/v1/runs?job=${three.join(',')}&from=${iso(ago(1440))}&to=${iso(now)}`,
      sql: 'select * from job_slots where job_key in (?, ?, ?) and nominal_time >= ? and nominal_time < ? order by nominal_time desc, id desc limit 51',
      params: [...three, ago(1440), now],
    },
    timeline: {
      label: `timeline data: GET /v1/runs?from=-24h&to=now&limit=200 (${bench.BENCH_JOBS} jobs)`,
      api: `/v1/runs?from=${iso(ago(1440))}&to=${iso(now)}&limit=200`,
      sql: 'select * from job_slots where nominal_time >= ? and nominal_time < ? order by nominal_time desc, id desc limit 201',
      params: [ago(1440), now],
    },
  };

  const pool = createPool({ uri: h.config.DATABASE_URL, connectionLimit: 10, timezone: 'Z' });
  const bare = Fastify();
  for (const [name, c] of Object.entries(cases)) {
    bare.get(`/${name}`, async (_req, reply) => {
      const [rows] = await pool.execute(c.sql, c.params);
      return reply.type('application/json').send(JSON.stringify(rows));
    });
  }
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  // Both sides answer the same page: the API's items are the baseline's rows.
  const headers = { authorization: `Bearer ${h.keys.viewer}` };
  for (const [name, c] of Object.entries(cases)) {
    const a = (await (await fetch(`${api}${c.api}`, { headers })).json()) as { items: Array<{ slot: string; jobKey: string; source: string }> };
    const b = (await (await fetch(`${base}/${name}`)).json()) as Array<{ nominal_time: string; job_key: string }>;
    const ledger = a.items.filter((i) => i.source === 'ledger');
    const want = b.slice(0, ledger.length === 0 ? 0 : b.length - 1);
    if (ledger.length !== want.length || ledger.some((i, k) => i.slot !== new Date(want[k].nominal_time).toISOString() || i.jobKey !== want[k].job_key)) {
      throw new Error(`${name}: the API's page (${ledger.length} rows) is not the baseline's (${want.length} rows)`);
    }
    out(`${name}: ${ledger.length} rows a page${a.items.length > ledger.length ? ` (+${a.items.length - ledger.length} from Temporal)` : ''}`);
  }

  // The plans the ledger's indexes give these reads (printed for the note; same SQL on both sides).
  for (const [name, c] of Object.entries(cases)) {
    const [plan] = await pool.query(`explain ${c.sql}`, c.params);
    for (const p of plan as Array<Record<string, unknown>>) out(`explain ${name}: key=${String(p.key)} type=${String(p.type)} rows=${String(p.rows)} extra=${String(p.Extra)}`);
  }

  const targets: Record<string, LoadTarget> = {};
  for (const [name, c] of Object.entries(cases)) {
    targets[`api:${name}`] = { url: `${api}${c.api}`, headers };
    targets[`base:${name}`] = { url: `${base}/${name}` };
  }
  const load = { seconds: bench.BENCH_SECONDS, connections: bench.BENCH_CONNECTIONS };
  await alternatingLoads(targets, { ...load, seconds: 2, rounds: 1 }); // warm-up
  out(`${load.connections} connections, ${bench.BENCH_ROUNDS} alternating rounds of ${load.seconds} s`);
  const r = await alternatingLoads(targets, { ...load, rounds: bench.BENCH_ROUNDS });
  for (const [k, v] of Object.entries(r)) out(`${k.padEnd(15)} p50 ${v.p50} ms  p99 ${v.p99} ms  ${v.rps.toFixed(0)} req/s  (${v.requests} requests)`);

  // Saturated, p99 is mostly queueing (connections / throughput). Also below saturation: each pair at the
  // same paced rate, half of what the API just sustained on that case.
  const paced: Record<string, { rate: number; api: LoadResult; base: LoadResult }> = {};
  for (const name of Object.keys(cases)) {
    const rate = Math.max(5, Math.floor(r[`api:${name}`].rps / 2));
    const p = await alternatingLoads({ api: targets[`api:${name}`], base: targets[`base:${name}`] }, { ...load, rate, rounds: bench.BENCH_ROUNDS });
    paced[name] = { rate, ...p };
    out(`${name.padEnd(9)} at ${rate} req/s: api p99 ${p.api.p99} ms, base p99 ${p.base.p99} ms`);
  }

  const rows = `${(Math.ceil(bench.BENCH_LEDGER_ROWS / bench.BENCH_JOBS) * bench.BENCH_JOBS / 1e6).toFixed(1)}M rows`;
  const common = { bench: 'api-runs', baselineName: `one prepared mysql2 query + JSON.stringify in a bare Fastify route, same rows (ledger of ${rows})` };
  const figures = (name: string, label: string): BenchFigure[] => {
    const [a, b, p] = [r[`api:${name}`], r[`base:${name}`], paced[name]];
    return [
      { ...common, name: `${label} throughput`, unit: 'req/s', figure: a.rps, baseline: b.rps, target: { minRatio: 0.5 } },
      { ...common, name: `${label} p99 (saturated)`, unit: 'ms', figure: a.p99, baseline: b.p99, target: { maxRatio: 2 } },
      { ...common, name: `${label} p99 at ${p.rate} req/s`, unit: 'ms', figure: p.api.p99, baseline: p.base.p99, target: { maxRatio: 2 } },
    ];
  };
  reportFigures(
    Object.entries(cases).flatMap(([name, c]) => figures(name, c.label)),
    bench.BENCH_RESULT_FILE,
  );
  await bare.close();
  await pool.end();
  await h.close();
  if (!bench.BENCH_KEEP_DATA) await dropDatabase(h.config.DATABASE_URL);
}

runBench('api-runs', main);
