import { Client, Connection } from '@temporalio/client';
import { createOrm, freshTestDatabase, migrate, type MikroORM } from '@timekeeper/db';
import { createLogger, parseConfig } from '@timekeeper/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { ApiConfigSchema } from './config';

// Real MariaDB and Temporal from infra/up.sh; one Temporal client pointed at a closed port.
// A key of its own from the environment's admin slot: /metrics needs one.
const ADMIN = 'tk_app_test_admin_key_0123456789';
const config = parseConfig(ApiConfigSchema, { ...process.env, ADMIN_API_KEY: ADMIN });
const logger = createLogger('api-test', 'silent');
let orm: MikroORM;
let connection: Connection;

beforeAll(async () => {
  orm = await createOrm({ url: await freshTestDatabase(config.DATABASE_URL, 'api_app') });
  await migrate(orm);
  connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
});
afterAll(async () => {
  await connection?.close();
  await orm?.close(true);
});

describe('ops routes', () => {
  it('/healthz answers without auth, /readyz is 200 when MySQL and Temporal answer, /metrics needs a key', async () => {
    const app = await buildApp({ config, logger, orm, temporal: new Client({ connection }) });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ mysql: { ok: true }, temporal: { ok: true } });
    // Metrics name jobs and routes: a key is needed.
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    const metrics = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
    // The two requests above were timed under their route pattern.
    expect(metrics.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/readyz"[^}]*status="200"[^}]*\} 1/);
    await app.close();
  });

  it('/readyz is 503 and names Temporal when it does not answer', async () => {
    const dead = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' });
    const app = await buildApp({ config, logger, orm, temporal: new Client({ connection: dead }) });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.mysql).toEqual({ ok: true });
    expect(ready.json().checks.temporal.ok).toBe(false);
    await app.close();
  }, 20_000);
});
