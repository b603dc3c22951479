import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { SecretBox, type MikroORM } from '@timekeeper/db';
import { createMetricsRegistry, instanceOf, registerHttpMetrics, registerOpsRoutes, type Logger } from '@timekeeper/runtime';
import { SlotPlanner, TemporalZones } from '@timekeeper/scheduling';
import type { ApiConfig } from './config';
import { registerErrorHandler } from './errors';
import { registerAuth } from './plugins/auth';
import { registerRateLimits } from './plugins/rate-limits';
import { recordRoutes } from './plugins/route-table';
import { registerResponseSerializer } from './plugins/response-serializer';
import { registerSecurityHeaders } from './plugins/security-headers';
import { alertPolicyRoutes } from './routes/alert-policies';
import { alertRouteRoutes } from './routes/alert-routes';
import { alertRoutes } from './routes/alerts';
import { maintenanceWindowRoutes } from './routes/maintenance-windows';
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
import { registerDstMetrics } from './services/dst-metrics';
import { ScheduleSyncer } from './services/schedule-syncer';
import { Sessions } from './services/sessions';
import { FailedAuthLimiter } from './services/failed-auth-limiter';
import { NextRuns } from './services/next-runs';
import { createLimitStore, limitStoreReady } from './services/limit-store';

export type ApiDeps = { config: ApiConfig; logger: Logger; orm: MikroORM; temporal: Client };

/** The API's services, built once per process; server.ts also starts the reconciler on `syncer`. */
export function createServices(deps: ApiDeps): Services & { syncer: ScheduleSyncer } {
  const { config, orm, temporal, logger } = deps;
  const instance = instanceOf(config);
  // One planner per process: previews, next-runs and the schedules it writes share its zone data: the
  // Temporal server's, probed in the background (ICU's until then; the reconciler rewrites what differs).
  const tzdataDisagreements = new Set<string>();
  const zones = new TemporalZones(temporal, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    instance,
    background: true,
    onProbeError: (timezone, err) => logger.warn({ timezone, err: err instanceof Error ? err.message : String(err) }, "could not probe Temporal's zone data; will retry"),
    onDisagreement: (d) => {
      tzdataDisagreements.add(d.timezone);
      logger.warn(d, "Temporal's and Node's tz data disagree on this zone; following Temporal's (it runs the schedules)");
    },
  });
  const planner = new SlotPlanner(temporal, { taskQueue: config.TEMPORAL_TASK_QUEUE, zones, instance });
  const syncer = new ScheduleSyncer(orm, temporal, planner, logger.child({ component: 'sync' }), {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    instance,
    callTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS,
    maxBackoffMs: config.SYNC_MAX_BACKOFF_MS,
  });
  const limits = createLimitStore(config.REDIS_URL, (err) => logger.debug({ err: err.message }, 'limit store (Redis) unavailable'));
  return {
    config,
    instance,
    orm,
    temporal,
    syncer,
    planner,
    nextRuns: new NextRuns(planner, temporal, config.TEMPORAL_CALL_TIMEOUT_MS),
    tzdataDisagreements,
    jobs: new JobQueries(orm),
    commands: new JobCommands(orm, syncer, temporal, {
      maxBackfillSlots: config.MAX_BACKFILL_SLOTS,
      callTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS,
      redis: limits,
      triggerLockPrefix: `tk:${instance}:trigger:`,
    }),
    runs: new Runs(orm, temporal, config.TEMPORAL_TASK_QUEUE, new UnrecordedRuns(orm, temporal, config.TEMPORAL_TASK_QUEUE, config.UNRECORDED_RUNS_TTL_MS)),
    sessions: new Sessions(orm, { ttlMs: config.SESSION_TTL_MS, idleMs: config.SESSION_IDLE_MS, adminKey: config.ADMIN_API_KEY }),
    verifiedKeys: new VerifiedKeys(config.API_KEY_CACHE_MS),
    secrets: config.DESTINATION_SECRETS_KEY ? new SecretBox(config.DESTINATION_SECRETS_KEY) : null,
    revocations: new RevocationBus(config.REDIS_URL, `tk:${instance}:revocations`, (err) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'revocation bus: Redis did not answer'),
    ),
    limits,
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
  recordRoutes(app);
  registerResponseSerializer(app);
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
  const { limits } = services;
  app.addHook('onReady', () => limitStoreReady(limits));
  app.addHook('onClose', async () => limits.disconnect());
  registerAuth(app, {
    orm: deps.orm,
    sessions: services.sessions,
    adminKey: config.ADMIN_API_KEY,
    consoleSecret: config.CONSOLE_SECRET,
    failures: new FailedAuthLimiter(limits, { maxFailures: config.AUTH_MAX_FAILURES, windowMs: 60_000, namespace: `tk:${services.instance}:authfail:` }, (err) =>
      app.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'failed-auth counter unavailable'),
    ),
    verifiedKeys: services.verifiedKeys,
  });
  // A revoked key leaves the cache of every API process (publish also tells this one, Redis or not).
  if (services.verifiedKeys.enabled) services.revocations.subscribe((r) => r.keyId !== undefined && services.verifiedKeys.forget(r.keyId));
  // Before the routes: the limiter attaches itself to each route as it is declared.
  await registerRateLimits(app, {
    redis: limits,
    instance: services.instance,
    mutationsPerMin: config.RATE_LIMIT_MUTATIONS_PER_MIN,
    expensivePerMin: config.RATE_LIMIT_EXPENSIVE_PER_MIN,
  });
  app.addHook('onClose', () => services.revocations.close());
  const registry = createMetricsRegistry('api');
  registerHttpMetrics(app, registry);
  registerDstMetrics(registry, services);
  await registerOpsRoutes(app, {
    registry,
    checks: [
      { name: 'mysql', check: () => deps.orm.em.getConnection().execute('select 1') },
      { name: 'temporal', check: () => deps.temporal.connection.workflowService.getSystemInfo({}) },
    ],
  });
  for (const routes of [jobRoutes, jobStatsRoutes, jobActionRoutes, scheduleRoutes, runRoutes, auditRoutes, keyRoutes, sessionRoutes, alertRoutes, alertPolicyRoutes, maintenanceWindowRoutes, alertRouteRoutes]) {
    await app.register(routes, { services });
  }
  await app.register(kindRoutes);
  await app.register(eventRoutes, { services });
  return app;
}
