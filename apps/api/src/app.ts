import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { MikroORM } from '@timekeeper/db';
import { createMetricsRegistry, registerOpsRoutes, type Logger } from '@timekeeper/runtime';
import type { ApiConfig } from './config';

export type ApiDeps = { config: ApiConfig; logger: Logger; orm: MikroORM; temporal: Client };

/** The API as a Fastify instance; tests drive it with inject(), server.ts makes it listen. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger, bodyLimit: 256 * 1024 }) as unknown as FastifyInstance;
  await registerOpsRoutes(app, {
    registry: createMetricsRegistry('api'),
    checks: [
      { name: 'mysql', check: () => deps.orm.em.getConnection().execute('select 1') },
      { name: 'temporal', check: () => deps.temporal.connection.workflowService.getSystemInfo({}) },
    ],
  });
  return app;
}
