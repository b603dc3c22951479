// Alert latency: from a run closing (Temporal's CloseTime) to its alert on the live stream (the Redis
// stream GET /v1/events relays) and in Kafka. Real worker, real services, N failing runs.
//   set -a; source .data/infra.env; set +a; pnpm --filter @timekeeper/alerting bench:latency [-- N]
import type { AlertEvent } from '@timekeeper/contracts';
import Redis from 'ioredis';
import { createHarness, eventually } from '../testing/harness';

const N = Number(process.argv[2] ?? 60);
const CONCURRENCY = 6;

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function main(): Promise<void> {
  const h = await createHarness('bench');
  await h.startWorker();
  h.startService();
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
  const line = (name: string, v: number[]) =>
    `${name.padEnd(28)} n=${v.length}  p50=${pct(v, 50)} ms  p90=${pct(v, 90)} ms  p99=${pct(v, 99)} ms  max=${Math.max(...v)} ms`;
  process.stdout.write(`alert latency over ${N} failed runs (${CONCURRENCY} concurrent, ${Date.now() - t0} ms total)\n`);
  process.stdout.write(`${line('run close -> live stream', toStream)}\n${line('run close -> Kafka', toKafka)}\n`);
  tailing = false;
  await tail;
  reader.disconnect();
  await h.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
