import type { Redis } from './redis';
import { fenceKey } from './fence';
import { staleFence } from './errors';

// Applied atomically inside Redis: every SET in the call lands only if the job's fence counter still
// equals the writer's token, i.e. no newer lock holder exists. Returns -1 when the writer is stale.
const FENCED_SET = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return -1 end
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

/**
 * Writes cache entries with a TTL, pipelined in groups, each group applied only while `fence` is the
 * job's current token. Throws StaleFence if any group was refused.
 */
export async function fencedSetMany(
  redis: Redis,
  jobKey: string,
  fence: number,
  entries: Array<[key: string, value: string]>,
  ttlSeconds: number,
  groupSize = 200,
): Promise<number> {
  const r = withScript(redis);
  const pipeline = r.pipeline() as unknown as { tkFencedSet(...args: unknown[]): void; exec(): Promise<Array<[Error | null, unknown]> | null> };
  let groups = 0;
  for (let i = 0; i < entries.length; i += groupSize) {
    const group = entries.slice(i, i + groupSize);
    pipeline.tkFencedSet(group.length + 1, fenceKey(jobKey), ...group.map(([k]) => k), fence, ttlSeconds, ...group.map(([, v]) => v));
    groups++;
  }
  if (groups === 0) return 0;
  const results = (await pipeline.exec()) ?? [];
  let written = 0;
  for (const [err, value] of results) {
    if (err) throw err;
    if (value === -1) throw staleFence(jobKey, fence);
    written += Number(value);
  }
  return written;
}
