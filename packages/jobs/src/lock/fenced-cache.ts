import type { EntityManager } from '@timekeeper/db';
import type { Redis } from './redis';
import { fenceKey, lastIssuedFence, raiseRedisFence } from './fence';
import { staleFence } from './errors';

const NEWER_HOLDER = -1;
const UNCONFIRMED = -2;

// Applied atomically inside Redis: the SETs land only if the job's Redis fence key equals the
// writer's token. A key above the token means a newer holder exists (refused for good); a key
// missing or below it (Redis lost it in a crash, or the raise at issuance failed) cannot tell a
// stale writer from the newest one, so the caller asks MySQL (see fencedSetMany).
const FENCED_SET = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
local token = tonumber(ARGV[1])
if current > token then return ${NEWER_HOLDER} end
if current < token then return ${UNCONFIRMED} end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', ARGV[2])
end
return #KEYS - 1`;

type FencedRedis = Redis & {
  tkFencedSet(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
};

function withScript(redis: Redis): FencedRedis {
  const r = redis as FencedRedis;
  if (typeof r.tkFencedSet !== 'function') redis.defineCommand('tkFencedSet', { lua: FENCED_SET });
  return r;
}

type Entries = Array<[key: string, value: string]>;
type Pipeline = { tkFencedSet(...args: unknown[]): void; exec(): Promise<Array<[Error | null, unknown]> | null> };

/** Runs the groups in one pipeline; returns how many entries landed and the groups left unconfirmed. */
async function setGroups(redis: Redis, jobKey: string, fence: number, groups: Entries[], ttlSeconds: number): Promise<{ written: number; unconfirmed: Entries[] }> {
  const pipeline = withScript(redis).pipeline() as unknown as Pipeline;
  for (const group of groups) {
    pipeline.tkFencedSet(group.length + 1, fenceKey(jobKey), ...group.map(([k]) => k), fence, ttlSeconds, ...group.map(([, v]) => v));
  }
  const results = (await pipeline.exec()) ?? [];
  let written = 0;
  const unconfirmed: Entries[] = [];
  results.forEach(([err, value], i) => {
    if (err) throw err;
    if (value === NEWER_HOLDER) throw staleFence(jobKey, fence);
    if (value === UNCONFIRMED) unconfirmed.push(groups[i]);
    else written += Number(value);
  });
  return { written, unconfirmed };
}

/**
 * Writes cache entries with a TTL, pipelined in groups, each group applied only while `fence` is the
 * job's newest token. Throws StaleFence if any group was refused. When Redis does not know the newest
 * token (its fence key vanished in a crash), MySQL decides: `em` (the chunk's transaction, which holds
 * the job's fence row, so no token can be issued meanwhile) must show `fence` as the last token
 * issued; only then is the key raised to it and the groups written. A stale holder is refused either
 * way, and a new holder's token is always above every older holder's.
 */
export async function fencedSetMany(
  redis: Redis,
  em: EntityManager,
  jobKey: string,
  fence: number,
  entries: Entries,
  ttlSeconds: number,
  groupSize = 200,
): Promise<number> {
  const groups: Entries[] = [];
  for (let i = 0; i < entries.length; i += groupSize) groups.push(entries.slice(i, i + groupSize));
  if (groups.length === 0) return 0;
  const first = await setGroups(redis, jobKey, fence, groups, ttlSeconds);
  if (first.unconfirmed.length === 0) return first.written;
  if ((await lastIssuedFence(em, jobKey)) !== fence) throw staleFence(jobKey, fence);
  await raiseRedisFence(redis, jobKey, fence);
  const second = await setGroups(redis, jobKey, fence, first.unconfirmed, ttlSeconds);
  // Still unconfirmed means the key changed again in between (another crash): give up this attempt.
  if (second.unconfirmed.length > 0) throw new Error(`Redis fence key for job ${jobKey} keeps vanishing; cache write not confirmed`);
  return first.written + second.written;
}
