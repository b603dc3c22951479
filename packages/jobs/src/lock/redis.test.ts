import { afterAll, describe, expect, it } from 'vitest';
import { createRedisClients } from './redis';

// Smoke test against the real Redis started by infra/up.sh.
const url = process.env.REDIS_URL;
if (!url) throw new Error('REDIS_URL is not set: run through `npm test` or source .data/infra.env');
const [redis] = createRedisClients([url]);
afterAll(async () => void (await redis.quit()));

describe('ioredis against Redis', () => {
  it('SET then GET returns the value, and PX expires it', async () => {
    const key = `tk:test:smoke:${process.pid}:${Date.now()}`;
    expect(await redis.set(key, 'hello', 'PX', 200)).toBe('OK');
    expect(await redis.get(key)).toBe('hello');
    await new Promise((r) => setTimeout(r, 300));
    expect(await redis.get(key)).toBeNull();
  });
});
