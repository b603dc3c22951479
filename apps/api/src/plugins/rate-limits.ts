import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { ApiError } from '../errors';
import { keyRef } from '../services/api-keys';

export type RateLimitOptions = { redis: Redis; instance: string; mutationsPerMin: number; expensivePerMin: number };

type LimitClass = 'mutation' | 'expensive';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Which per-key budget a request draws on; null for reads and for anything not authenticated. */
function limitClass(req: FastifyRequest): LimitClass | null {
  if (!req.principal) return null;
  if (req.routeOptions.config?.expensive) return 'expensive';
  return READS.has(req.method) ? null : 'mutation';
}

/**
 * Per-key limits (a console session counts as its key) on every mutating route and on routes that
 * call Temporal per request, in a one-minute window counted in Redis so replicas share it. Runs after
 * authentication and before validation, so malformed requests count too. Over the limit: 429 with
 * Retry-After and a JSON body. If Redis does not answer, requests pass rather than fail.
 */
export async function registerRateLimits(app: FastifyInstance, opts: RateLimitOptions): Promise<void> {
  const budget = { mutation: opts.mutationsPerMin, expensive: opts.expensivePerMin };
  await app.register(rateLimit, {
    global: true,
    hook: 'preValidation',
    timeWindow: 60_000,
    redis: opts.redis,
    nameSpace: `tk:${opts.instance}:rate:`,
    skipOnError: true,
    // The key is computed before the allow list is asked, so it must not assume a principal.
    keyGenerator: (req) => `${limitClass(req)}:${req.principal ? keyRef(req.principal) : 'none'}`,
    allowList: (req) => limitClass(req) === null,
    max: (req) => budget[limitClass(req) ?? 'mutation'],
    errorResponseBuilder: (req, ctx) =>
      new ApiError(429, 'rate_limited', `Too many ${limitClass(req) === 'expensive' ? 'expensive' : 'changing'} requests for this key (${ctx.max} a minute); retry in ${ctx.after}.`),
  });
}
