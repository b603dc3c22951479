import Redis from 'ioredis';

/**
 * The Redis connection behind the API's counters (per-key rate limits, failed authentications), shared
 * by every API process through Redis. It fails fast and never queues (no offline queue, short timeouts),
 * so a Redis outage only turns the counters off; it never stalls or fails a request. It connects only
 * once an app using it starts (limitStoreReady), so a CLI that builds the services is not kept alive.
 */
export function createLimitStore(redisUrl: string, onError: (err: Error) => void): Redis {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 1_000, lazyConnect: true });
  redis.on('error', onError);
  return redis;
}

/**
 * Connects the store and resolves once it is connected, or after `timeoutMs` (the API then starts
 * without counting until Redis answers; ioredis keeps reconnecting). Without it, the first requests
 * after start would not be counted at all.
 */
export function limitStoreReady(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  // A failed first connect is retried by ioredis itself; its errors go to the store's error listener.
  if (redis.status === 'wait') redis.connect().catch(() => undefined);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}
