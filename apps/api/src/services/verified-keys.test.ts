import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { RevocationBus } from './revocations';

// Verified API keys are trusted for API_KEY_CACHE_MS without a lookup (a minute here, so nothing
// expires during the test): a revocation must still end them at once, in this process and, over the
// Redis bus, in every other API process.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('verified_keys', { API_KEY_CACHE_MS: '60000' });
}, 60_000);
afterAll(async () => h?.close());

const me = (key: string) => h.call({ method: 'GET', url: '/v1/me', key });
const newKey = async (name: string) => {
  const created = (await h.call({ method: 'POST', url: '/v1/keys', body: { name, role: 'viewer' } })).json();
  return { secret: created.key as string, id: created.apiKey.id as number };
};

describe('verified API keys', () => {
  it('a key revoked through the API is refused on the next request', async () => {
    const { secret, id } = await newKey('cached-a');
    expect((await me(secret)).statusCode).toBe(200);
    expect((await h.call({ method: 'DELETE', url: `/v1/keys/${id}` })).statusCode).toBe(200);
    expect((await me(secret)).statusCode).toBe(401);
  });

  it('a revocation published by another API process reaches this one over Redis', async () => {
    const { secret, id } = await newKey('cached-b');
    expect((await me(secret)).statusCode).toBe(200);
    // Revoked in the database by "another process": this process still trusts its cached verification...
    await h.orm.em.getConnection().execute('update api_keys set revoked_at = now(3) where id = ?', [id], 'run');
    expect((await me(secret)).statusCode).toBe(200);
    // ...until that process's revocation message arrives on the bus.
    const other = new RevocationBus(h.config.REDIS_URL, `tk:${h.services.instance}:revocations`);
    try {
      let status = 200;
      for (let i = 0; i < 50 && status === 200; i++) {
        await other.publish({ keyId: id });
        status = (await me(secret)).statusCode;
        if (status === 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
