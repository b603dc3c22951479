// `pnpm --filter @timekeeper/api bench:list`: p50/p99 of GET /v1/jobs over 1,000 definitions under load,
// beside a bare Fastify route reading the same rows through the same ORM, in the same run.
import { Type } from '@sinclair/typebox';
import autocannon from 'autocannon';
import { loadConfigOrExit } from '@timekeeper/runtime';
import Fastify from 'fastify';
import { JobDefinition } from '@timekeeper/db';
import { startHarness, jobBody } from '../testing/harness';
import { applyToEntity, mergeDefinition } from '../services/job-mapper';

const bench = loadConfigOrExit(
  Type.Object({
    BENCH_SECONDS: Type.Integer({ minimum: 1, maximum: 600, default: 10 }),
    BENCH_CONNECTIONS: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  }),
);
const DURATION_S = bench.BENCH_SECONDS;
const CONNECTIONS = bench.BENCH_CONNECTIONS;

async function load(url: string, authorization?: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers: authorization ? { authorization } : {} });
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average };
}

async function main(): Promise<void> {
  const h = await startHarness('bench_api');
  const em = h.orm.em.fork();
  for (let i = 0; i < 1000; i++) {
    const job = new JobDefinition();
    applyToEntity(job, mergeDefinition(undefined, jobBody(`bench-${String(i).padStart(4, '0')}`, { tags: [i % 2 ? 'odd' : 'even'] }) as never));
    Object.assign(job, { syncStatus: 'synced', params: { chunks: 2, chunkMs: 10 } });
    em.persist(job);
  }
  await em.flush();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const apiPort = (h.app.server.address() as { port: number }).port;

  // Baseline: the same page of rows, no auth, no schemas, no mapping.
  const bare = Fastify();
  bare.get('/jobs', async () => h.orm.em.fork().find(JobDefinition, { deletedAt: null }, { orderBy: { key: 'asc' }, limit: 50 }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const barePort = (bare.server.address() as { port: number }).port;

  const auth = `Bearer ${h.keys.viewer}`;
  await load(`http://127.0.0.1:${apiPort}/v1/jobs`, auth); // warm-up
  const baseline = await load(`http://127.0.0.1:${barePort}/jobs`);
  const api = await load(`http://127.0.0.1:${apiPort}/v1/jobs`, auth);
  const filtered = await load(`http://127.0.0.1:${apiPort}/v1/jobs?tag=odd&sort=-updatedAt&limit=50`, auth);
  const row = (name: string, r: { p50: number; p99: number; rps: number }) =>
    `${name.padEnd(42)} p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ${r.rps.toFixed(0).padStart(6)} req/s`;
  console.log(`\n1,000 definitions, ${CONNECTIONS} connections, ${DURATION_S}s each, page of 50`);
  console.log(row('bare Fastify route (same rows, same ORM)', baseline));
  console.log(row('GET /v1/jobs', api));
  console.log(row('GET /v1/jobs?tag=odd&sort=-updatedAt', filtered));
  console.log(`ratio GET /v1/jobs / bare: p50 ${(api.p50 / Math.max(baseline.p50, 1)).toFixed(2)}x, throughput ${(api.rps / baseline.rps).toFixed(2)}x`);
  await bare.close();
  await h.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
