import Redis from 'ioredis';

/**
 * One ioredis client per URL. Redlock wants independent masters for a quorum, so callers may pass
 * several URLs; a single URL is the usual local setup.
 */
export function createRedisClients(urls: string[]): Redis[] {
  return urls.map(
    (url) =>
      new Redis(url, {
        maxRetriesPerRequest: 3,
        enableOfflineQueue: true,
        lazyConnect: false,
      }),
  );
}
export { Redis };
