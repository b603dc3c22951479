// `pnpm bench --only lock` (or `node packages/bench/dist/lock-bench.js`): one job lock acquired and
// released through the lock module (redlock over the same Redis the workers use) against the least a
// lock can cost there: `SET key token NX PX ttl` then `DEL key`, on the same client, in the same run.
// Sequential, one key as a job has; rounds alternate between the two so a load spike hits both. Also
// shown (no target): the same plus the fencing token every locked run draws from MySQL (drawFence).
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { createOrm, ensureDatabase, migrate } from '@timekeeper/db';
import { createRedisClients, createRedlock, drawFence, lockKey, withJobLock } from '@timekeeper/jobs';
import { loadConfigOrExit } from '@timekeeper/runtime';
import { BenchEnvSchema, reportFigures, runBench } from './report';
import { describeSummary, summarize } from './stats';

const config = loadConfigOrExit(
  Type.Composite([
    BenchEnvSchema,
    Type.Object({
      REDIS_URL: Type.String({ minLength: 1 }),
      DATABASE_URL: Type.String({ pattern: '^mysql://' }),
      BENCH_ITERATIONS: Type.Integer({ minimum: 20, maximum: 1_000_000, default: 4_000 }),
      BENCH_ROUNDS: Type.Integer({ minimum: 2, maximum: 1_000, default: 20 }),
    }),
  ]),
);
const TTL_MS = 30_000;
const out = (s: string) => process.stdout.write(`lock: ${s}\n`);

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function main(): Promise<void> {
  const url = new URL(config.DATABASE_URL);
  url.pathname = `${url.pathname}_bench_lock`;
  await ensureDatabase(url.toString());
  const orm = await createOrm({ url: url.toString(), poolMax: 2 });
  await migrate(orm);
  const [redis] = createRedisClients([config.REDIS_URL]);
  const redlock = createRedlock([redis]);
  const jobKey = `bench-lock-${randomUUID().slice(0, 8)}`;
  const rawKey = `${lockKey(jobKey)}:raw`;

  const raw = async () => {
    const token = randomUUID();
    if ((await redis.set(rawKey, token, 'PX', TTL_MS, 'NX')) !== 'OK') throw new Error('raw lock was held');
    await redis.del(rawKey);
  };
  const lockOptions = { ttlMs: TTL_MS, maxWaitMs: 0, attempt: 1, logger: silent };
  const viaModule = async () => {
    await withJobLock(redlock, jobKey, lockOptions, async () => undefined);
  };
  const em = orm.em.fork();
  const withFence = async () => {
    await withJobLock(redlock, jobKey, lockOptions, async () => drawFence(em, redis, jobKey, silent));
  };

  const timed = async (fn: () => Promise<void>, n: number, into: number[]) => {
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      await fn();
      into.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  // Warm-up: connections, Lua scripts loaded, JIT.
  await timed(raw, 200, []);
  await timed(viaModule, 200, []);

  const rawMs: number[] = [];
  const moduleMs: number[] = [];
  const perRound = Math.max(10, Math.floor(config.BENCH_ITERATIONS / config.BENCH_ROUNDS));
  for (let r = 0; r < config.BENCH_ROUNDS; r++) {
    // Alternate which goes first, so neither always follows the other's garbage.
    if (r % 2 === 0) {
      await timed(raw, perRound, rawMs);
      await timed(viaModule, perRound, moduleMs);
    } else {
      await timed(viaModule, perRound, moduleMs);
      await timed(raw, perRound, rawMs);
    }
  }
  const fencedMs: number[] = [];
  await timed(withFence, 50, []);
  await timed(withFence, Math.max(50, Math.floor(config.BENCH_ITERATIONS / 10)), fencedMs);
  const a = summarize(moduleMs);
  const b = summarize(rawMs);
  const c = summarize(fencedMs);
  out(`lock module acquire+release: ${describeSummary(a)}`);
  out(`raw SET NX PX + DEL:         ${describeSummary(b)}`);
  out(`with MySQL fencing token:    ${describeSummary(c)}`);
  const common = { bench: 'lock', unit: 'ms', baselineName: 'raw SET NX PX + DEL on the same Redis and client, alternating rounds' };
  reportFigures(
    [
      { ...common, name: `acquire+release p50 (n=${a.n})`, figure: a.p50, baseline: b.p50, target: { maxRatio: 3, max: 2 } },
      { ...common, name: 'acquire+release p99', figure: a.p99, baseline: b.p99 },
      { ...common, name: 'acquire+release mean', figure: a.mean, baseline: b.mean, target: { maxRatio: 3 } },
      { ...common, name: `acquire+fencing token+release p50 (n=${c.n})`, figure: c.p50, baseline: b.p50, note: 'the token is drawn in MySQL (durable fencing); shown for what a locked run pays, no target' },
    ],
    config.BENCH_RESULT_FILE,
  );
  redis.disconnect();
  await orm.close(true);
}

runBench('lock', main);
