import { describe, expect, it } from 'vitest';
import { checkReadiness } from './readiness';

describe('checkReadiness', () => {
  it('is ready when every check answers', async () => {
    const r = await checkReadiness([{ name: 'db', check: async () => 1 }]);
    expect(r).toEqual({ ready: true, checks: { db: { ok: true } } });
  });
  it('names the dependency that fails or hangs, without its raw error (which goes to onFailure)', async () => {
    const seen: Array<[string, string]> = [];
    const r = await checkReadiness(
      [
        { name: 'db', check: async () => 1 },
        { name: 'redis', check: async () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:6379 (password=hunter2)')) },
        { name: 'kafka', check: () => new Promise(() => undefined) },
      ],
      50,
      (name, err) => seen.push([name, (err as Error).message]),
    );
    expect(r.ready).toBe(false);
    expect(r.checks.redis).toEqual({ ok: false, error: 'failed' });
    expect(r.checks.kafka).toEqual({ ok: false, error: 'no answer' });
    expect(r.checks.db.ok).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|hunter2/);
    expect(seen).toContainEqual(['redis', 'connect ECONNREFUSED 10.1.2.3:6379 (password=hunter2)']);
    expect(seen.map(([n]) => n).sort()).toEqual(['kafka', 'redis']);
  });
});
