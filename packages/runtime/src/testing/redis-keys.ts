/** What deleteKeysByPrefix needs of a Redis client (ioredis has it; runtime itself depends on none). */
export type KeyScanner = {
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', n: number): Promise<[string, string[]]>;
  unlink(...keys: string[]): Promise<number>;
};

/**
 * For tests: deletes every key under `prefix` with SCAN (never KEYS: the Redis may be shared), so a
 * suite that recreates its database starts from no Redis state of an earlier run either. Give it a
 * client without a keyPrefix (SCAN's pattern is not prefixed, but UNLINK's keys would be).
 */
export async function deleteKeysByPrefix(client: KeyScanner, prefix: string): Promise<number> {
  // Glob characters in the prefix match only themselves.
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length) deleted += await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
