import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { checkReadiness, type ReadinessCheck } from './readiness';

/**
 * /healthz (the process is alive), /readyz (its dependencies answer; 503 names those that do not, without
 * their raw errors, which go to the log) and /metrics (Prometheus text). The probes need no
 * authentication. /metrics names jobs and routes: with `authorizeMetrics` it answers 401 unless that
 * accepts the request's Authorization header (the worker and alerting pass an API key check); the API
 * leaves it out because its auth plugin already guards every route but the probes.
 */
export async function registerOpsRoutes(
  // Any logger or type provider: the API registers these on its own instance.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  app: FastifyInstance<any, any, any, any, any>,
  opts: { checks: ReadinessCheck[]; registry: Registry; authorizeMetrics?: (authorization: string | undefined) => Promise<boolean> },
): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const report = await checkReadiness(opts.checks, undefined, (name, err) =>
      app.log.warn({ check: name, err: err instanceof Error ? err.message : String(err) }, 'readiness check failed'),
    );
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not ready', ...report });
  });
  app.get('/metrics', async (req, reply) => {
    if (opts.authorizeMetrics && !(await opts.authorizeMetrics(req.headers.authorization))) {
      return reply.code(401).send({ error: 'unauthorized', message: '/metrics needs an API key (any role): Authorization: Bearer <key>' });
    }
    return reply.type(opts.registry.contentType).send(await opts.registry.metrics());
  });
}
