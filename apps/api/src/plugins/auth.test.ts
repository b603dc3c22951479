import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBody, startHarness, type Harness } from '../testing/harness';

let h: Harness;
const key = 'auth-matrix-job';
beforeAll(async () => {
  h = await startHarness('api_auth');
  expect((await h.call({ method: 'POST', url: '/v1/jobs', body: jobBody(key) })).statusCode).toBe(201);
}, 60_000);
afterAll(async () => h?.close());

type Role = 'viewer' | 'operator' | 'admin';
// Route → least role. Mutations get bodies that would fail validation or not-found AFTER auth,
// so a 2xx/4xx other than 401/403 proves the role check passed.
const matrix: Array<[string, string, Role, unknown?]> = [
  ['GET', '/v1/jobs', 'viewer'],
  ['GET', `/v1/jobs/${key}`, 'viewer'],
  ['GET', '/v1/runs', 'viewer'],
  ['GET', '/v1/audit', 'viewer'],
  ['GET', '/v1/kinds', 'viewer'],
  ['GET', '/v1/me', 'viewer'],
  ['POST', '/v1/schedules/preview', 'operator', { cron: '0 3 * * *', timezone: 'UTC', count: 1 }],
  ['POST', `/v1/jobs/${key}/pause`, 'operator', {}],
  ['POST', `/v1/jobs/${key}/resume`, 'operator', {}],
  ['POST', `/v1/jobs/nope-nope/trigger`, 'operator', {}],
  ['POST', `/v1/jobs/nope-nope/backfill`, 'operator', { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }],
  ['POST', '/v1/runs/tk-nope-2026-01-01T00:00:00Z/cancel', 'operator'],
  ['POST', '/v1/runs/tk-nope-2026-01-01T00:00:00Z/retry', 'operator'],
  ['POST', '/v1/jobs', 'admin', { key: 'x' }],
  ['PATCH', `/v1/jobs/nope-nope`, 'admin', {}],
  ['DELETE', `/v1/jobs/nope-nope`, 'admin'],
  ['GET', '/v1/keys', 'admin'],
  ['POST', '/v1/keys', 'admin', { name: 'n' }],
];
const ROLES: Role[] = ['viewer', 'operator', 'admin'];

describe('role × route', () => {
  it.each(matrix)('%s %s needs %s', async (method, url, need, body) => {
    for (const role of ROLES) {
      const res = await h.call({ method, url, body, key: h.keys[role], headers: method === 'PATCH' ? { 'if-match': '1' } : {} });
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(need);
      if (allowed) expect([401, 403], `${role} ${method} ${url} → ${res.statusCode}`).not.toContain(res.statusCode);
      else {
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
        expect(res.json().message).toContain(`needs the ${need} role`);
      }
    }
    const anonymous = await h.app.inject({ method: method as 'GET', url, ...(body ? { payload: body as object } : {}) });
    expect(anonymous.statusCode).toBe(401);
  });

  it('health, readiness and docs need no key; metrics do', async () => {
    for (const url of ['/healthz', '/readyz', '/docs/json']) {
      expect((await h.app.inject({ url })).statusCode, url).toBe(200);
    }
    expect((await h.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await h.call({ method: 'GET', url: '/metrics', key: h.keys.viewer })).statusCode).toBe(200);
  });

  it('a wrong key is 401; repeated failures are rate limited', async () => {
    const bad = () => h.app.inject({ url: '/v1/jobs', headers: { authorization: 'Bearer tk_000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro' }, remoteAddress: '10.9.9.9' });
    expect((await bad()).statusCode).toBe(401);
    let last = 0;
    for (let i = 0; i < 25; i++) last = (await bad()).statusCode;
    expect(last).toBe(429);
    // Another client is not affected.
    expect((await h.call({ method: 'GET', url: '/v1/jobs', key: h.keys.viewer })).statusCode).toBe(200);
  });

  it('keys are stored hashed; a created key works, a revoked one does not', async () => {
    const created = await h.call({ method: 'POST', url: '/v1/keys', body: { name: 'ci-bot', role: 'operator' } });
    expect(created.statusCode).toBe(201);
    const { key: secret, apiKey } = created.json();
    const rows = await h.orm.em.getConnection().execute('select hash from api_keys where prefix = ?', [apiKey.prefix]);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect((await h.call({ method: 'GET', url: '/v1/me', key: secret })).json()).toEqual({ actor: 'key:ci-bot', role: 'operator' });
    await h.call({ method: 'DELETE', url: `/v1/keys/${apiKey.id}` });
    expect((await h.call({ method: 'GET', url: '/v1/me', key: secret })).statusCode).toBe(401);
  });
});
