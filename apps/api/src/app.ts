import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@timekeeper/db';
import { createMetricsRegistry, registerHttpMetrics, registerOpsRoutes, type Logger } from '@timekeeper/runtime';
import { instanceOf, type ApiConfig } from './config';
import { registerErrorHandler } from './errors';
import { registerAuth } from './plugins/auth';
import { registerRateLimits } from './plugins/rate-limits';
import { registerSecurityHeaders } from './plugins/security-headers';
import { alertRoutes } from './routes/alerts';
import { auditRoutes } from './routes/audit';
import { eventRoutes } from './routes/events';
import { jobActionRoutes } from './routes/job-actions';
import { jobRoutes } from './routes/jobs';
import { jobStatsRoutes } from './routes/job-stats';
import { keyRoutes } from './routes/keys';
import { kindRoutes } from './routes/kinds';
import { runRoutes } from './routes/runs';
import { scheduleRoutes } from './routes/schedules';
import { sessionRoutes } from './routes/sessions';
import type { Services } from './services';
import { JobCommands } from './services/job-commands';
import { JobQueries } from './services/job-queries';
import { RevocationBus } from './services/revocations';
import { Runs } from './services/runs';
import { UnrecordedRuns } from './services/unrecorded-runs';
import { VerifiedKeys } from './services/verified-keys';
import { ScheduleSyncer } from './services/schedule-syncer';
import { Sessions } from './services/sessions';

export type ApiDeps = { config: ApiConfig; logger: Logger; orm: MikroORM; temporal: Client };

/** The API's services, built once per process; server.ts also starts the reconciler on `syncer`. */
export function createServices(deps: ApiDeps): Services & { syncer: ScheduleSyncer } {
  const { config, orm, temporal, logger } = deps;
  const instance = instanceOf(config);
  const syncer = new ScheduleSyncer(orm, temporal, logger.child({ component: 'sync' }), {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    instance,
    callTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS,
    maxBackoffMs: config.SYNC_MAX_BACKOFF_MS,
  });
  return {
    config,
    instance,
    orm,
    temporal,
    syncer,
    jobs: new JobQueries(orm),
    commands: new JobCommands(orm, syncer, temporal, { maxBackfillSlots: config.MAX_BACKFILL_SLOTS, callTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS }),
    runs: new Runs(orm, temporal, config.TEMPORAL_TASK_QUEUE, new UnrecordedRuns(orm, temporal, config.TEMPORAL_TASK_QUEUE, config.UNRECORDED_RUNS_TTL_MS)),
    sessions: new Sessions(orm, { ttlMs: config.SESSION_TTL_MS, idleMs: config.SESSION_IDLE_MS, adminKey: config.ADMIN_API_KEY }),
    verifiedKeys: new VerifiedKeys(config.API_KEY_CACHE_MS),
    revocations: new RevocationBus(config.REDIS_URL, `tk:${instance}:revocations`, (err) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'revocation bus: Redis did not answer'),
    ),
  };
}

/** The API as a Fastify instance; tests drive it with inject(), server.ts makes it listen. */
export async function buildApp(deps: ApiDeps, services: Services = createServices(deps)): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: 256 * 1024,
    // Unknown fields are an error, not silently dropped; report every problem at once.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
  registerErrorHandler(app);
  registerSecurityHeaders(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Timekeeper API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const { config } = deps;
  registerAuth(app, {
    orm: deps.orm,
    sessions: services.sessions,
    adminKey: config.ADMIN_API_KEY,
    consoleSecret: config.CONSOLE_SECRET,
    maxFailures: config.AUTH_MAX_FAILURES,
    verifiedKeys: services.verifiedKeys,
  });
  // A revoked key leaves the cache of every API process (publish also tells this one, Redis or not).
  if (services.verifiedKeys.enabled) services.revocations.subscribe((r) => r.keyId !== undefined && services.verifiedKeys.forget(r.keyId));
  // Before the routes: the limiter attaches itself to each route as it is declared.
  await registerRateLimits(app, {
    redisUrl: config.REDIS_URL,
    instance: services.instance,
    mutationsPerMin: config.RATE_LIMIT_MUTATIONS_PER_MIN,
    expensivePerMin: config.RATE_LIMIT_EXPENSIVE_PER_MIN,
  });
  app.addHook('onClose', () => services.revocations.close());
  const registry = createMetricsRegistry('api');
  registerHttpMetrics(app, registry);
  await registerOpsRoutes(app, {
    registry,
    checks: [
      { name: 'mysql', check: () => deps.orm.em.getConnection().execute('select 1') },
      { name: 'temporal', check: () => deps.temporal.connection.workflowService.getSystemInfo({}) },
    ],
  });
  for (const routes of [jobRoutes, jobStatsRoutes, jobActionRoutes, scheduleRoutes, runRoutes, auditRoutes, keyRoutes, sessionRoutes, alertRoutes]) {
    await app.register(routes, { services });
  }
  await app.register(kindRoutes);
  await app.register(eventRoutes, { services });
  return app;
}
