import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { registerOpsRoutes } from './ops-routes';
import type { ReadinessCheck } from './readiness';

/** The small HTTP server that the worker and alerting service run for health and metrics. */
export async function startOpsServer(opts: {
  logger: Logger;
  host: string;
  port: number;
  checks: ReadinessCheck[];
  registry: Registry;
}): Promise<{ close(): Promise<unknown> }> {
  const app = Fastify({ loggerInstance: opts.logger.child({ component: 'ops-http' }), disableRequestLogging: true });
  await registerOpsRoutes(app, opts);
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
