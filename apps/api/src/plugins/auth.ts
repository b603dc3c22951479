import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MikroORM, Role } from '@timekeeper/db';
import { ApiError } from '../errors';
import { keyPrefixOf, roleAtLeast, safeEqual, sha256, verifyApiKey, type Principal } from '../services/api-keys';
import type { VerifiedKeys } from '../services/verified-keys';
import type { FailedAuthLimiter } from '../services/failed-auth-limiter';
import type { Sessions } from '../services/sessions';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** The caller's address: the browser's when the console (proven by its secret) names it, else the peer's. */
    clientAddress: string;
    /** True when the request carries the console's shared secret. */
    fromConsole: boolean;
  }
  interface FastifyContextConfig {
    /** Least role a route needs; routes without it are readable by any valid key. */
    minRole?: Role;
    /** Open to anyone: health probes, docs. */
    public?: boolean;
    /** Calls Temporal per request: counted against the per-key limit for expensive routes. */
    expensive?: boolean;
    /** Authenticated by a key only, never by a session (signing in). */
    keyOnly?: boolean;
  }
}

/** Headers the console sends; the API believes the second only next to the first. */
export const CONSOLE_SECRET_HEADER = 'x-timekeeper-console';
export const CLIENT_ADDRESS_HEADER = 'x-timekeeper-client-address';

// /metrics names jobs and routes: it needs a key (any role), like every other route but probes and docs.
const PUBLIC_PREFIXES = ['/healthz', '/readyz', '/docs'];
// An address as the console reports it (IPv4, IPv6, or IPv4-mapped IPv6); anything else is ignored.
const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

/** How the document states a route's rule: "Needs the <role> role." and so on. */
export const ROLE_NOTE = {
  public: 'Public: no key needed.',
  keyOnly: 'Needs an API key (Bearer), from the console only.',
  role: (role: Role) => `Needs the ${role} role.`,
};

export type AuthOptions = { orm: MikroORM; sessions: Sessions; adminKey?: string; consoleSecret?: string; failures: FailedAuthLimiter; verifiedKeys?: VerifiedKeys };

/**
 * Authentication on every route but health and docs: `Authorization: Bearer <key>`, or
 * `Authorization: Session <id>` from the console; then the route's role check.
 * The presented key is always checked first, so a valid one is never refused because of failures
 * elsewhere; failed keys are counted per (client address, key prefix), across API processes, and become 429s.
 */
export function registerAuth(app: FastifyInstance, opts: AuthOptions): void {
  const secretHash = opts.consoleSecret ? sha256(opts.consoleSecret) : null;
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('clientAddress', '');
  app.decorateRequest('fromConsole', false);

  // The OpenAPI document says who may call each route (the auth matrix test holds it to that).
  app.addHook('onRoute', (route) => {
    const isPublic = route.config?.public || PUBLIC_PREFIXES.some((p) => route.url === p || route.url.startsWith(`${p}/`));
    const rule = isPublic ? ROLE_NOTE.public : route.config?.keyOnly ? ROLE_NOTE.keyOnly : ROLE_NOTE.role(route.config?.minRole ?? 'viewer');
    const schema = (route.schema ??= {}) as { description?: string; security?: unknown[] };
    schema.description = schema.description ? `${schema.description} ${rule}` : rule;
    if (isPublic) schema.security = [];
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const presentedSecret = request.headers[CONSOLE_SECRET_HEADER];
    request.fromConsole = Boolean(secretHash && typeof presentedSecret === 'string' && safeEqual(sha256(presentedSecret), secretHash));
    const named = request.headers[CLIENT_ADDRESS_HEADER];
    request.clientAddress = request.fromConsole && typeof named === 'string' && ADDRESS.test(named) ? named : request.ip;

    const path = request.url.split('?')[0];
    if (request.routeOptions.config?.public || PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return;

    const [scheme, value] = splitAuthorization(request.headers.authorization);
    let principal: Principal | null = null;
    if (scheme === 'bearer' && value) {
      principal = await verifyApiKey(opts.orm.em.fork(), value, opts.adminKey, opts.verifiedKeys);
      if (!principal) {
        const { limited, retryAfterS } = await opts.failures.recordFailure(request.clientAddress, keyPrefixOf(value) ?? '-');
        if (limited) {
          reply.header('retry-after', String(retryAfterS));
          throw new ApiError(429, 'rate_limited', `Too many failed authentication attempts from this address; retry in ${retryAfterS} s.`);
        }
        throw new ApiError(401, 'unauthorized', 'The API key is not valid.');
      }
    } else if (scheme === 'session' && value) {
      if (!request.fromConsole) throw new ApiError(401, 'unauthorized', 'Sessions are accepted from the console only.');
      if (request.routeOptions.config?.keyOnly) throw new ApiError(401, 'unauthorized', 'This needs an API key, not a session.');
      // Not throttled: only the console may present one, and a session id has 256 random bits.
      principal = await opts.sessions.resolve(value);
      if (!principal) throw new ApiError(401, 'session_expired', 'The session has ended; sign in again.');
    } else {
      throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
    }
    request.principal = principal;
    const need = request.routeOptions.config?.minRole;
    if (need && !roleAtLeast(principal.role, need)) {
      throw new ApiError(403, 'forbidden', `This needs the ${need} role; your key has ${principal.role}.`);
    }
  });
}

/** ["bearer" | "session" | other scheme lower-cased | null, the credential]. */
function splitAuthorization(header: string | undefined): [string | null, string] {
  if (!header) return [null, ''];
  const space = header.indexOf(' ');
  if (space < 0) return [header.toLowerCase(), ''];
  return [header.slice(0, space).toLowerCase(), header.slice(space + 1).trim()];
}
