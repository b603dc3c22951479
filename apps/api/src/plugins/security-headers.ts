import type { FastifyInstance } from 'fastify';

// JSON and event streams need no sources at all; the OpenAPI UI loads its own scripts and styles.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'none'";

/** Security headers on every API response: nothing may frame it, sniff it into HTML, or see where it came from. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const docs = request.url === '/docs' || request.url.startsWith('/docs/');
    reply.header('content-security-policy', docs ? DOCS_CSP : API_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-resource-policy', 'same-origin');
  });
}
