// `pnpm --filter @timekeeper/worker bench:outbox`: chunk commit latency while the outbox relays' Kafka is
// up, hanging (accepts TCP, never answers) and down (closed port), in one run, on a fresh database of its
// own. Kafka must never be on the commit path (issue 9 #7): the down phases' p99 should stay near the
// up phase's. The shared Kafka is never stopped; the outages are the relays' broker addresses.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Kafka, logLevel } from 'kafkajs';
import { BenchEnvSchema, reportFigures, runBench, type BenchFigure } from '@timekeeper/bench';
import { createOrm, migrate, outboxBacklog, recreateDatabase } from '@timekeeper/db';
import {
  createOutboxRelay,
  noopMetrics,
  runChunkedJob,
  startSilentBroker,
  type ChunkedJob,
  type JobActivityInput,
  type OutboxRelay,
} from '@timekeeper/jobs';
import { createLogger, loadConfigOrExit, parseConfig } from '@timekeeper/runtime';
import { WorkerConfigSchema } from '../config';
import { createJobDeps } from '../deps';

const bench = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    Type.Object({
      BENCH_JOBS: Type.Integer({ minimum: 1, maximum: 32, default: 4, description: 'Jobs committing side by side' }),
      BENCH_CHUNKS: Type.Integer({ minimum: 5, maximum: 10_000, default: 60, description: 'Chunks per job and phase' }),
      BENCH_EVENTS: Type.Integer({ minimum: 1, maximum: 1_000, default: 20, description: 'Outbox events per chunk' }),
      BENCH_RELAYS: Type.Integer({ minimum: 1, maximum: 8, default: 2, description: 'Relays running (one publishes)' }),
      BENCH_CYCLES: Type.Integer({ minimum: 1, maximum: 20, default: 2, description: 'Rounds of all phases, interleaved, so machine load hits each alike' }),
    }),
  ]),
);
const out = (s: string) => process.stdout.write(`${s}\n`);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const base = parseConfig(WorkerConfigSchema);
  const url = new URL(base.DATABASE_URL);
  url.pathname = `${url.pathname.replace(/\/$/, '')}_bench_outbox`;
  const config = { ...base, DATABASE_URL: url.toString(), DATABASE_POOL_MAX: 20 };
  await recreateDatabase(config.DATABASE_URL);
  const setup = await createOrm({ url: config.DATABASE_URL });
  await migrate(setup);
  await setup.close(true);

  let samples: number[] = [];
  const { deps, close } = await createJobDeps(config, createLogger('bench', 'warn'), { ...noopMetrics, chunkCommitted: (_k, s) => samples.push(s * 1000) });
  const topic = `timekeeper.bench-outbox-${randomUUID().slice(0, 8)}`;
  const realBrokers = config.KAFKA_BROKERS.split(',').map((b) => b.trim());
  const admin = new Kafka({ clientId: 'tk-bench-outbox', brokers: realBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const silent = await startSilentBroker();

  const job: ChunkedJob = {
    kind: 'synthetic',
    step: async ({ chunk, input }) => ({
      cursor: chunk + 1 < bench.BENCH_CHUNKS ? String(chunk + 1) : null,
      counts: { chunks: 1 },
      events: Array.from({ length: bench.BENCH_EVENTS }, (_, i) => ({ topic, key: input.jobKey, type: 'bench.chunk', payload: { chunk, i } })),
    }),
  };
  const phases = [
    { name: 'Kafka up', brokers: realBrokers },
    { name: 'Kafka hanging', brokers: [silent.address] },
    { name: 'Kafka down (closed port)', brokers: ['127.0.0.1:1'] },
  ];
  const byPhase = new Map<string, { samples: number[]; published: number; unsent: number }>(phases.map((ph) => [ph.name, { samples: [], published: 0, unsent: 0 }]));
  const runs = [{ ...phases[0], name: 'warm-up' }, ...Array.from({ length: bench.BENCH_CYCLES }, () => phases).flat()];
  for (const [p, phase] of runs.entries()) {
    const kafka = new Kafka({ clientId: `tk-bench-relay-${p}`, brokers: phase.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 2 } });
    let published = 0;
    const relays: OutboxRelay[] = Array.from({ length: bench.BENCH_RELAYS }, () =>
      createOutboxRelay({ orm: deps.orm, kafka, logger: quiet, idleMs: 50, maxBackoffMs: 2_000, metrics: { published: (n) => (published += n), publishFailed: () => undefined, deadLettered: () => undefined, backlog: () => undefined } }),
    );
    relays.forEach((r) => r.start());
    // Let one relay take the lease and, for the outages, get stuck on its first Kafka call.
    const deadline = Date.now() + 10_000;
    while (!relays.some((r) => r.active) && Date.now() < deadline) await sleep(20);
    await sleep(300);
    samples = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: bench.BENCH_JOBS }, (_, j) => {
        const input: JobActivityInput = {
          jobKey: `bench-outbox-${p}-${j}`,
          kind: 'synthetic',
          slot: new Date(started).toISOString(),
          params: {},
          timezone: 'UTC',
          lock: { required: true, ttlMs: 10_000 },
          workflowId: `bench-${p}-${j}`,
          runId: randomUUID(),
        };
        return runChunkedJob(deps, input, job);
      }),
    );
    await Promise.all(relays.map((r) => r.stop()));
    const acc = byPhase.get(phase.name);
    if (acc) {
      acc.samples.push(...samples);
      acc.published += published;
      acc.unsent = (await outboxBacklog(deps.orm.em.fork())).pending;
    }
    // Every phase starts from an empty outbox: the up phase measures steady publishing, not the drain of
    // the backlog an outage phase left.
    await deps.orm.em.fork().execute('delete from outbox');
  }
  const results = [...byPhase].map(([name, acc]) => {
    const sorted = [...acc.samples].sort((a, b) => a - b);
    return { name, n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], backlog: acc.unsent, published: acc.published };
  });

  out(`\nchunk commit latency (ms): ${bench.BENCH_JOBS} jobs x ${bench.BENCH_CHUNKS} chunks x ${bench.BENCH_EVENTS} outbox events, ${bench.BENCH_RELAYS} relays, ${bench.BENCH_CYCLES} cycles`);
  out(`${'phase'.padEnd(26)}${'chunks'.padStart(8)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}${'published'.padStart(11)}${'unsent after'.padStart(14)}`);
  for (const r of results) {
    out(`${r.name.padEnd(26)}${String(r.n).padStart(8)}${r.p50.toFixed(1).padStart(8)}${r.p95.toFixed(1).padStart(8)}${r.p99.toFixed(1).padStart(8)}${r.max.toFixed(1).padStart(8)}${String(r.published).padStart(11)}${String(r.backlog).padStart(14)}`);
  }
  const up = results[0].p99;
  for (const r of results.slice(1)) out(`p99 ${r.name} / Kafka up: ${(r.p99 / up).toFixed(2)}x (target <= 1.5x)`);
  const baselineName = 'chunk commit p99 with Kafka up, same jobs, relays and run (phases interleaved)';
  reportFigures(
    [
      ...results.slice(1).map((r): BenchFigure => ({ bench: 'outbox', name: `chunk commit p99, ${r.name}`, unit: 'ms', figure: r.p99, baseline: up, baselineName, target: { maxRatio: 1.5 } })),
      { bench: 'outbox', name: 'chunk commit p50, Kafka up', unit: 'ms', figure: results[0].p50 },
    ],
    bench.BENCH_RESULT_FILE,
  );

  await silent.close();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await close();
}

runBench('outbox', main);
