import { JobDefinition } from '@timekeeper/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToEntity, mergeDefinition } from '../services/job-mapper';
import { jobBody, startHarness, type Harness } from '../testing/harness';

// GET /v1/jobs reads plain rows with hand-written SQL (no entity hydration): the same DTO as the
// entity path, every sort paged by cursor without gaps or repeats, filters with bound values.
let h: Harness;
const live = ['list-a', 'list-b', 'list-c', 'list-d', 'list-e', 'list-f', 'list-g'];

beforeAll(async () => {
  h = await startHarness('job_list');
  const em = h.orm.em.fork();
  // Unescaped, `100%` would also match 'alpha 1000' and `Echo_` would match 'Echo2'.
  const names = ['Mike', 'alpha 1000', 'Mike', 'bravo 100%', 'Echo_1', 'Echo2', 'alpha'];
  [...live, 'list-deleted'].forEach((key, i) => {
    const job = new JobDefinition();
    const body = jobBody(key, { name: names[i] ?? 'gone', kind: i % 3 === 0 ? 'cache-warming' : 'synthetic', tags: i % 2 ? ['odd'] : ['even', 'x'] });
    applyToEntity(job, mergeDefinition(undefined, { ...body, ...(i % 3 === 0 ? { params: {} } : {}) } as never));
    // Two rows share an updated_at, so the id tie-break of the keyset is exercised.
    Object.assign(job, { syncStatus: 'synced', paused: i === 2, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.min(i, 5))) });
    if (key === 'list-deleted') job.deletedAt = new Date();
    em.persist(job);
  });
  await em.flush();
});

afterAll(async () => {
  await h?.close();
});

type Page = { items: Array<{ key: string; name: string; updatedAt: string }>; nextCursor: string | null };

async function all(query: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const res = await h.call({ method: 'GET', url: `/v1/jobs?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`, key: h.keys.viewer });
    expect(res.statusCode).toBe(200);
    const page = res.json() as Page;
    keys.push(...page.items.map((j) => j.key));
    cursor = page.nextCursor;
    if (!cursor) return keys;
  }
  throw new Error('cursor never ended');
}

describe('GET /v1/jobs over plain rows', () => {
  it('gives each job the same DTO as GET /v1/jobs/:key (the entity path)', async () => {
    const page = (await h.call({ method: 'GET', url: '/v1/jobs?limit=200', key: h.keys.viewer })).json() as Page;
    expect(page.items.map((j) => j.key)).toEqual(live);
    for (const item of page.items) {
      const one = await h.call({ method: 'GET', url: `/v1/jobs/${item.key}`, key: h.keys.viewer });
      expect(item).toEqual(one.json());
    }
  });

  it('pages every sort by cursor, each live job once, in order', async () => {
    const byKey = [...live];
    expect(await all('')).toEqual(byKey);
    expect(await all('&sort=-key')).toEqual([...byKey].reverse());
    const page = (await h.call({ method: 'GET', url: '/v1/jobs?limit=200', key: h.keys.viewer })).json() as Page;
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const ids = new Map(live.map((k, i) => [k, i]));
    // MariaDB's default collation compares names case-insensitively.
    const byName = [...page.items].sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || ids.get(a.key)! - ids.get(b.key)!).map((j) => j.key);
    expect(await all('&sort=name')).toEqual(byName);
    const byUpdatedDesc = [...page.items].sort((a, b) => cmp(b.updatedAt, a.updatedAt) || ids.get(b.key)! - ids.get(a.key)!).map((j) => j.key);
    expect(await all('&sort=-updatedAt')).toEqual(byUpdatedDesc);
    expect(await all('&sort=updatedAt')).toEqual([...byUpdatedDesc].reverse());
  });

  it('filters by kind, paused, tag and text, with LIKE wildcards taken literally', async () => {
    expect(await all('&kind=cache-warming')).toEqual(['list-a', 'list-d', 'list-g']);
    expect(await all('&paused=true')).toEqual(['list-c']);
    expect(await all('&tag=odd')).toEqual(['list-b', 'list-d', 'list-f']);
    expect(await all('&tag=x&kind=synthetic')).toEqual(['list-c', 'list-e']);
    expect(await all(`&text=${encodeURIComponent('100%')}`)).toEqual(['list-d']);
    expect(await all('&text=Echo_')).toEqual(['list-e']);
    expect(await all(`&text=${encodeURIComponent("' or 1=1 --")}`)).toEqual([]);
  });

  it('answers 400 naming the cursor for one it did not issue', async () => {
    const res = await h.call({ method: 'GET', url: '/v1/jobs?cursor=bm90LWEtY3Vyc29y', key: h.keys.viewer });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('cursor');
  });
});
