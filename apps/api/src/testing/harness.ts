import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createOrm, freshTestDatabase, migrate, type MikroORM } from '@timekeeper/db';
import { createLogger, deleteKeysByPrefix, instanceOf, parseConfig } from '@timekeeper/runtime';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import Redis from 'ioredis';
import { buildApp, createServices } from '../app';
import { ApiConfigSchema, type ApiConfig } from '../config';
import { createApiKey } from '../services/api-keys';

export type Harness = {
  app: FastifyInstance;
  orm: MikroORM;
  temporal: Client;
  config: ApiConfig;
  services: ReturnType<typeof createServices>;
  keys: { admin: string; operator: string; viewer: string };
  /** inject() with a Bearer key (admin unless another is given). */
  call: (opts: { method: string; url: string; body?: unknown; key?: string; headers?: Record<string, string> }) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
};

/**
 * A real API on a database of its own and the real Temporal server (or the one given), with one key
 * per role. Each suite passes a distinct name; its job keys should be distinct too (schedules share
 * the Temporal namespace).
 */
export async function startHarness(name: string, overrides: Partial<Record<keyof ApiConfig, string>> = {}): Promise<Harness> {
  const env = {
    ...process.env,
    ADMIN_API_KEY: `adm_${randomBytes(16).toString('hex')}`,
    CONSOLE_SECRET: randomBytes(24).toString('base64url'),
    DESTINATION_SECRETS_KEY: randomBytes(32).toString('hex'),
    TEMPORAL_CALL_TIMEOUT_MS: '2000',
    // Suites make many changes in a minute; the security suite sets its own limits.
    RATE_LIMIT_MUTATIONS_PER_MIN: '100000',
    RATE_LIMIT_EXPENSIVE_PER_MIN: '100000',
    ...overrides,
  };
  const base = parseConfig(ApiConfigSchema, env);
  const config = { ...base, DATABASE_URL: await freshTestDatabase(base.DATABASE_URL, name), TEMPORAL_TASK_QUEUE: `test-${name}` };
  // The database is new; so must be this installation's Redis keys (counters, windows of an earlier run).
  await deleteRedisKeys(config.REDIS_URL, `tk:${instanceOf(config)}:`);
  const orm = await createOrm({ url: config.DATABASE_URL });
  await migrate(orm);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const logger = createLogger(`api-test-${name}`, 'silent');
  const services = createServices({ config, logger, orm, temporal });
  const app = await buildApp({ config, logger, orm, temporal }, services);
  const em = orm.em.fork();
  const keys = {
    admin: config.ADMIN_API_KEY!,
    operator: (await createApiKey(em, { name: 'op', role: 'operator', createdBy: 'test' })).key,
    viewer: (await createApiKey(em, { name: 'view', role: 'viewer', createdBy: 'test' })).key,
  };
  return {
    app,
    orm,
    temporal,
    config,
    services,
    keys,
    call: ({ method, url, body, key, headers }) =>
      app.inject({
        method: method as 'GET',
        url,
        ...(body !== undefined ? { payload: body as object } : {}),
        headers: { authorization: `Bearer ${key ?? keys.admin}`, ...headers },
      }),
    close: async () => {
      await app.close();
      await connection.close();
      await orm.close(true);
    },
  };
}

/** Deletes every Redis key under `prefix` (a client of its own, without keyPrefix). */
async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    await deleteKeysByPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** A valid job body; override what a test cares about. */
export function jobBody(key: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key,
    name: `Job ${key}`,
    kind: 'synthetic',
    params: { chunks: 2, chunkMs: 10 },
    schedule: { cron: '0 3 * * *', timezone: 'Asia/Shanghai', jitter: '0s', overlapPolicy: 'skip', catchupWindow: '10m' },
    retry: { maxAttempts: 3, initialInterval: '10s', maxInterval: '5m', backoffCoefficient: 2, nonRetryableErrorTypes: [] },
    timeouts: { run: '2h', startToClose: '30m', heartbeat: '30s' },
    lock: { required: true, ttl: '30s' },
    expectedMaxDuration: '30m',
    gracePeriod: '2m',
    tags: ['loyalty'],
    owner: 'growth',
    ...extra,
  };
}
