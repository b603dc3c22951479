// `pnpm bench --only api-jobs` (or `pnpm --filter @timekeeper/api bench:list`): GET /v1/jobs over 1,000
// definitions through the whole API (auth, validation, query, DTO, response schema) against the least
// the same page can cost: one prepared mysql2 query and JSON.stringify in a bare Fastify route, on the
// same database and rows, in the same run (rounds alternate between the two).
import { Type } from '@sinclair/typebox';
import { alternatingLoads, BenchEnvSchema, reportFigures, type BenchFigure, type LoadResult, runBench } from '@timekeeper/bench';
import { JobDefinition } from '@timekeeper/db';
import { loadConfigOrExit } from '@timekeeper/runtime';
import Fastify from 'fastify';
import { createPool } from 'mysql2/promise';
import { jobBody, startHarness } from '../testing/harness';
import { applyToEntity, mergeDefinition } from '../services/job-mapper';

const bench = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    Type.Object({
      BENCH_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 5 }),
      BENCH_ROUNDS: Type.Integer({ minimum: 1, maximum: 20, default: 3 }),
      BENCH_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
      BENCH_DEFINITIONS: Type.Integer({ minimum: 100, maximum: 100_000, default: 1_000 }),
    }),
  ]),
);
const out = (s: string) => process.stdout.write(`api-jobs: ${s}\n`);

// The pages the baseline serves: the same rows the API reads for the same query (51 = a page + 1).
const BASELINE_SQL = {
  page: 'select * from job_definitions where deleted_at is null order by `key` asc, id asc limit 51',
  filtered: 'select * from job_definitions where deleted_at is null and json_contains(tags, ?) order by updated_at desc, id desc limit 51',
};

async function main(): Promise<void> {
  const h = await startHarness('bench_api');
  const em = h.orm.em.fork();
  for (let i = 0; i < bench.BENCH_DEFINITIONS; i++) {
    const job = new JobDefinition();
    applyToEntity(job, mergeDefinition(undefined, jobBody(`bench-${String(i).padStart(5, '0')}`, { tags: [i % 2 ? 'odd' : 'even'] }) as never));
    Object.assign(job, { syncStatus: 'synced', params: { chunks: 2, chunkMs: 10 } });
    em.persist(job);
  }
  await em.flush();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const api = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;

  const pool = createPool({ uri: h.config.DATABASE_URL, connectionLimit: 10, timezone: 'Z' });
  const bare = Fastify();
  bare.get('/page', async (_req, reply) => {
    const [rows] = await pool.execute(BASELINE_SQL.page);
    return reply.type('application/json').send(JSON.stringify(rows));
  });
  bare.get('/filtered', async (_req, reply) => {
    const [rows] = await pool.execute(BASELINE_SQL.filtered, [JSON.stringify('odd')]);
    return reply.type('application/json').send(JSON.stringify(rows));
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  const headers = { authorization: `Bearer ${h.keys.viewer}` };
  const targets = {
    apiPage: { url: `${api}/v1/jobs`, headers },
    basePage: { url: `${base}/page` },
    apiFiltered: { url: `${api}/v1/jobs?tag=odd&sort=-updatedAt&limit=50`, headers },
    baseFiltered: { url: `${base}/filtered` },
  };
  const load = { seconds: bench.BENCH_SECONDS, connections: bench.BENCH_CONNECTIONS };
  await alternatingLoads(targets, { ...load, seconds: 2, rounds: 1 }); // warm-up
  out(`${bench.BENCH_DEFINITIONS} definitions, ${load.connections} connections, ${bench.BENCH_ROUNDS} alternating rounds of ${load.seconds} s, page of 50`);
  const r = await alternatingLoads(targets, { ...load, rounds: bench.BENCH_ROUNDS });
  for (const [k, v] of Object.entries(r)) out(`${k.padEnd(13)} p50 ${v.p50} ms  p99 ${v.p99} ms  ${v.rps.toFixed(0)} req/s  (${v.requests} requests)`);
  // Saturated, p99 is mostly queueing (connections / throughput). Also measure it below saturation:
  // the same paced rate for both, half of what the API just sustained.
  const rate = Math.max(5, Math.floor(Math.min(r.apiPage.rps, r.apiFiltered.rps) / 2));
  const paced = await alternatingLoads({ apiPage: targets.apiPage, basePage: targets.basePage }, { ...load, rate, rounds: bench.BENCH_ROUNDS });
  for (const [k, v] of Object.entries(paced)) out(`${k.padEnd(13)} at ${rate} req/s: p50 ${v.p50} ms  p99 ${v.p99} ms`);

  const common = { bench: 'api-jobs', baselineName: 'one prepared mysql2 query + JSON.stringify in a bare Fastify route, same rows' };
  const pair = (name: string, a: LoadResult, b: LoadResult): BenchFigure[] => [
    { ...common, name: `${name} throughput`, unit: 'req/s', figure: a.rps, baseline: b.rps, target: { minRatio: 0.5 } },
    { ...common, name: `${name} p99 (saturated)`, unit: 'ms', figure: a.p99, baseline: b.p99, target: { maxRatio: 2 } },
  ];
  reportFigures(
    [
      ...pair('GET /v1/jobs', r.apiPage, r.basePage),
      ...pair('GET /v1/jobs?tag&sort=-updatedAt', r.apiFiltered, r.baseFiltered),
      { ...common, name: `GET /v1/jobs p99 at ${rate} req/s`, unit: 'ms', figure: paced.apiPage.p99, baseline: paced.basePage.p99, target: { maxRatio: 2 } },
    ],
    bench.BENCH_RESULT_FILE,
  );
  await bare.close();
  await pool.end();
  await h.close();
}

runBench('api-jobs', main);
