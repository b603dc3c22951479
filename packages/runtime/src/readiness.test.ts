import { describe, expect, it } from 'vitest';
import { checkReadiness } from './readiness';

describe('checkReadiness', () => {
  it('is ready when every check answers', async () => {
    const r = await checkReadiness([{ name: 'db', check: async () => 1 }]);
    expect(r).toEqual({ ready: true, checks: { db: { ok: true } } });
  });
  it('names the dependency that fails or hangs', async () => {
    const r = await checkReadiness(
      [
        { name: 'db', check: async () => 1 },
        { name: 'redis', check: async () => Promise.reject(new Error('ECONNREFUSED')) },
        { name: 'kafka', check: () => new Promise(() => undefined) },
      ],
      50,
    );
    expect(r.ready).toBe(false);
    expect(r.checks.redis).toEqual({ ok: false, error: 'ECONNREFUSED' });
    expect(r.checks.kafka.error).toMatch(/no answer within 50 ms/);
    expect(r.checks.db.ok).toBe(true);
  });
});
