import type { AddressInfo } from 'node:net';
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
  /** Checks /metrics callers (see registerOpsRoutes). */
  authorizeMetrics: (authorization: string | undefined) => Promise<boolean>;
}): Promise<{ close(): Promise<unknown>; port: number }> {
  const app = Fastify({ loggerInstance: opts.logger.child({ component: 'ops-http' }), disableRequestLogging: true });
  await registerOpsRoutes(app, opts);
  await app.listen({ host: opts.host, port: opts.port });
  return { close: () => app.close(), port: (app.server.address() as AddressInfo).port };
}
