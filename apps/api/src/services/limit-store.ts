import Redis from 'ioredis';

/**
 * The Redis connection behind the API's counters (per-key rate limits, failed authentications), shared
 * by every API process through Redis. It fails fast and never queues (no offline queue, short timeouts),
 * so a Redis outage only turns the counters off; it never stalls or fails a request.
 */
export function createLimitStore(redisUrl: string, onError: (err: Error) => void): Redis {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 1_000 });
  redis.on('error', onError);
  return redis;
}

/**
 * Resolves once the store is connected, or after `timeoutMs` (the API then starts without counting
 * until Redis answers). Without it, the first requests after start would not be counted at all.
 */
export function limitStoreReady(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
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
