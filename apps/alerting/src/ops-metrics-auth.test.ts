import { randomBytes } from 'node:crypto';
import { ApiKey, bearerKeyIsValid, sha256 } from '@timekeeper/db';
import { createLogger, createMetricsRegistry, startOpsServer } from '@timekeeper/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './testing/harness';

// The worker's and alerting's ops ports: probes are open, /metrics needs an API key (any role), checked
// against the api_keys table in real MariaDB exactly as the API checks it.
let h: Harness;
let ops: { close(): Promise<unknown>; port: number };
let base: string;

async function storeKey(name: string, revoked = false): Promise<string> {
  const prefix = randomBytes(6).toString('hex');
  const key = `tk_${prefix}_${randomBytes(32).toString('base64url')}`;
  const em = h.orm.em.fork();
  em.persist(Object.assign(new ApiKey(), { name, prefix, hash: sha256(key), role: 'viewer', revokedAt: revoked ? new Date() : null }));
  await em.flush();
  return key;
}

beforeAll(async () => {
  h = await createHarness('ops_metrics_auth');
  const registry = createMetricsRegistry('alerting');
  ops = await startOpsServer({
    logger: createLogger('ops-metrics-auth-test', 'warn'),
    host: '127.0.0.1',
    port: 0,
    registry,
    checks: [],
    authorizeMetrics: (authorization) => bearerKeyIsValid(h.orm.em.fork(), authorization),
  });
  base = `http://127.0.0.1:${ops.port}`;
}, 60_000);
afterAll(async () => {
  await ops?.close();
  await h?.close();
});

describe('ops port /metrics', () => {
  it('answers the probes without a key', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('refuses /metrics without a key, with a malformed, unknown or revoked key, naming what it needs', async () => {
    const revoked = await storeKey('revoked', true);
    const unknown = `tk_${'0'.repeat(12)}_${randomBytes(32).toString('base64url')}`;
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${unknown}`, `Bearer ${revoked}`, `Basic ${revoked}`]) {
      const res = await fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('API key') });
    }
  });

  it('serves /metrics to a valid key', async () => {
    const key = await storeKey('scraper');
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('process_cpu_user_seconds_total');
  });
});
