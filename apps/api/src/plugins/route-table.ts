import type { FastifyInstance } from 'fastify';

/** One method of one route as Fastify registered it (`url` in Fastify's form: `/v1/jobs/:key`). */
export type RouteEntry = { method: string; url: string };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route this app serves, whoever registered it, documented or not (HEAD twins included). */
    routeTable: readonly RouteEntry[];
  }
}

/**
 * Records every route from the first one on, before any plugin adds its own, so nothing can be served
 * without being listed: the auth matrix test holds each entry to the access policy, including routes
 * the OpenAPI document does not show (the docs UI's assets, HEAD twins of GET routes).
 */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url });
  });
}
