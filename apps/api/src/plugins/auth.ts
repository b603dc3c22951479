import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MikroORM, Role } from '@timekeeper/db';
import { ApiError } from '../errors';
import { roleAtLeast, verifyApiKey, type Principal } from '../services/api-keys';
import { FailedAuthLimiter } from '../services/failed-auth-limiter';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Least role a route needs; routes without it are readable by any valid key. */
    minRole?: Role;
    /** Open to anyone: health, metrics, docs. */
    public?: boolean;
  }
}

const PUBLIC_PREFIXES = ['/healthz', '/readyz', '/metrics', '/docs'];

/** Bearer-key authentication on every route but health and docs, then the route's role check. */
export function registerAuth(app: FastifyInstance, opts: { orm: MikroORM; adminKey?: string }): void {
  const limiter = new FailedAuthLimiter({ maxFailures: 20, windowMs: 60_000 });
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0];
    if (request.routeOptions.config?.public || PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return;
    if (limiter.isBlocked(request.ip)) throw new ApiError(429, 'rate_limited', 'Too many failed authentication attempts; wait a minute.');
    const header = request.headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = presented ? await verifyApiKey(opts.orm.em.fork(), presented, opts.adminKey) : null;
    if (!principal) {
      limiter.recordFailure(request.ip);
      throw new ApiError(401, 'unauthorized', presented ? 'The API key is not valid.' : 'Send an API key as "Authorization: Bearer <key>".');
    }
    request.principal = principal;
    const need = request.routeOptions.config?.minRole;
    if (need && !roleAtLeast(principal.role, need)) {
      throw new ApiError(403, 'forbidden', `This needs the ${need} role; your key has ${principal.role}.`);
    }
  });
}
