// Alert latency: from a run closing (Temporal's CloseTime) to its alert on the live stream (the Redis
// stream GET /v1/events relays) and in Kafka. Real worker, real services, N failing runs. Baseline, in
// the same run: what the transports alone cost, one XADD seen by a blocked XREAD on the same Redis and
// one message produced and consumed on the same Kafka broker.
//   set -a; source .data/infra.env; set +a; pnpm --filter @timekeeper/alerting bench:latency [-- N]
import { Type } from '@sinclair/typebox';
import { BenchEnvSchema, describeSummary, reportFigures, summarize, runBench } from '@timekeeper/bench';
import type { AlertEvent } from '@timekeeper/contracts';
import { loadConfigOrExit } from '@timekeeper/runtime';
import Redis from 'ioredis';
import { createHarness, eventually } from '../testing/harness';

const bench = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    Type.Object({
      BENCH_RUNS: Type.Integer({ minimum: 1, maximum: 10_000, default: 60 }),
      BENCH_DEFINED_JOBS: Type.Integer({
        minimum: 0,
        maximum: 10_000,
        default: 0,
        description: 'More jobs defined beside the failing one: one-minute crons, paused in Timekeeper and Temporal alike (no runs on the shared server), which every sweeper pass still evaluates',
      }),
    }),
  ]),
);
const N = process.argv[2] ? Number(process.argv[2]) : bench.BENCH_RUNS;
const CONCURRENCY = 6;

/** The transports alone: XADD -> blocked XREAD on the same Redis, produce -> consume on the same broker. */
async function transportBaseline(h: Awaited<ReturnType<typeof createHarness>>, n: number): Promise<{ stream: number[]; kafka: number[] }> {
  const key = `${h.streamKey}:baseline`;
  const writer = new Redis(h.config.REDIS_URL);
  const reader = new Redis(h.config.REDIS_URL);
  const stream: number[] = [];
  // Reading after a known id, the XREAD sees the entry whether it reaches Redis before or after the XADD.
  let last = (await writer.xadd(key, '*', 'i', 'start'))!;
  for (let i = 0; i < n; i++) {
    const read = reader.xread('BLOCK', 5_000, 'STREAMS', key, last) as Promise<Array<[string, Array<[string, string[]]>]> | null>;
    await writer.ping();
    const t0 = performance.now();
    await writer.xadd(key, 'MAXLEN', '~', '1000', '*', 'i', String(i));
    const res = await read;
    stream.push(performance.now() - t0);
    last = res?.[0]?.[1]?.at(-1)?.[0] ?? last;
  }
  await writer.del(key);
  writer.disconnect();
  reader.disconnect();

  const received = await h.consume(h.topics.runs);
  const producer = h.kafka.producer();
  await producer.connect();
  // Measure only once the consumer has joined its group and reads the topic.
  await producer.send({ topic: h.topics.runs, messages: [{ key: 'bench-warmup', value: '{}' }] });
  await eventually(() => received.some((m) => m.key === 'bench-warmup'), 60_000, 100);
  const sentAt = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = `baseline-${i}`;
    sentAt.set(id, Date.now());
    await producer.send({ topic: h.topics.runs, messages: [{ key: 'bench-baseline', value: JSON.stringify({ id }), headers: { 'event-id': id } }] });
  }
  await eventually(() => received.filter((m) => m.key === 'bench-baseline').length >= n, 60_000, 100);
  await producer.disconnect();
  const kafka = received.filter((m) => m.key === 'bench-baseline').map((m) => m.receivedAt - sentAt.get(m.eventId)!);
  return { stream, kafka };
}

/** `n` jobs on a one-minute cron with their (paused) schedules, a few at a time; the harness deletes them on close. */
async function defineJobs(h: Awaited<ReturnType<typeof createHarness>>, n: number): Promise<void> {
  let next = 0;
  const t0 = Date.now();
  const creator = async () => {
    while (next < n) {
      const i = next++;
      await h.createJob(`bench-defined-${String(i).padStart(5, '0')}`, { cron: '* * * * *', catchupWindowMs: 60_000, paused: true });
    }
  };
  await Promise.all(Array.from({ length: 8 }, creator));
  process.stdout.write(`${n} more jobs defined (paused one-minute crons) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

async function main(): Promise<void> {
  const h = await createHarness('bench');
  if (bench.BENCH_DEFINED_JOBS > 0) await defineJobs(h, bench.BENCH_DEFINED_JOBS);
  await h.startWorker();
  h.startService({}, 'defaults'); // the app's own pass rates: the figure is what an operator gets
  await eventually(async () => (await h.redis.get(h.config.ALERTING_LEASE_KEY)) !== null, 15_000);
  const kafka = await h.consume(h.topics.alerts);
  const streamSeen = new Map<string, number>();
  const reader = new Redis(h.config.REDIS_URL);
  let tailing = true;
  const tail = (async () => {
    let last = '$';
    while (tailing) {
      const res = (await reader.xread('BLOCK', 500, 'STREAMS', h.streamKey, last)) as Array<[string, Array<[string, string[]]>]> | null;
      for (const [id, f] of res?.[0]?.[1] ?? []) {
        last = id;
        const data = JSON.parse(f[f.indexOf('data') + 1]) as AlertEvent;
        if (f[f.indexOf('event') + 1] === 'alert' && data.alert.details.workflowId) streamSeen.set(data.alert.details.workflowId, Date.now());
      }
    }
  })();

  await h.createJob('bench-fail', { schedule: false });
  const closed = new Map<string, number>();
  const base = Date.parse('2030-01-01T00:00:00Z');
  let next = 0;
  async function runner(): Promise<void> {
    while (next < N) {
      const i = next++;
      const { handle } = await h.startRun('bench-fail', { chunks: 1, chunkMs: 5, failAtChunk: 0, failure: 'non-retryable' }, { slot: new Date(base + i * 60_000) });
      await handle.result().catch(() => undefined);
      const d = await handle.describe();
      closed.set(handle.workflowId, d.closeTime!.getTime());
    }
  }
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, runner));
  await eventually(() => streamSeen.size >= N && kafka.length >= N, 60_000, 200);
  const kafkaSeen = new Map(kafka.map((m) => [(m.value as AlertEvent).alert.details.workflowId!, m.receivedAt]));
  const toStream: number[] = [];
  const toKafka: number[] = [];
  for (const [wf, at] of closed) {
    toStream.push(streamSeen.get(wf)! - at);
    toKafka.push(kafkaSeen.get(wf)! - at);
  }
  tailing = false;
  await tail;
  reader.disconnect();
  const transport = await transportBaseline(h, N);
  const [s, k, bs, bk] = [toStream, toKafka, transport.stream, transport.kafka].map((v) => summarize(v));
  const defined = bench.BENCH_DEFINED_JOBS ? `, ${bench.BENCH_DEFINED_JOBS} more jobs defined` : '';
  process.stdout.write(`alert latency over ${N} failed runs (${CONCURRENCY} concurrent, ${Date.now() - t0} ms total${defined})\n`);
  process.stdout.write(`run close -> live stream     ${describeSummary(s)}\nrun close -> Kafka           ${describeSummary(k)}\n`);
  process.stdout.write(`baseline XADD -> XREAD       ${describeSummary(bs)}\nbaseline produce -> consume  ${describeSummary(bk)}\n`);
  const common = { bench: bench.BENCH_DEFINED_JOBS ? 'alert-latency-2k' : 'alert-latency', unit: 'ms', baselineName: 'the transport alone: XADD -> blocked XREAD on the same Redis; produce -> consume on the same Kafka' };
  reportFigures(
    [
      { ...common, name: `run close -> live stream p99 (${N} runs${defined})`, figure: s.p99, baseline: bs.p99, target: { max: 2000 } },
      { ...common, name: `run close -> Kafka p99${defined}`, figure: k.p99, baseline: bk.p99, target: { max: 2000 } },
      { ...common, name: `run close -> live stream p50${defined}`, figure: s.p50, baseline: bs.p50 },
    ],
    bench.BENCH_RESULT_FILE,
  );
  await h.close();
}

runBench('alert-latency', main);
