import { NextResponse, type NextRequest } from 'next/server';

/** A Content-Security-Policy with a fresh script nonce, which Next puts on its own scripts. */
function pageCsp(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React renders style attributes, which only 'unsafe-inline' allows; scripts never get it.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// Before Next turns them into real separators (and e.g. `/api/v1/jobs/%2e` into a redirect).
const ENCODED_SEPARATOR = /%2e|%2f|%5c/i;

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs before every page, and before /api paths whose percent-encoding cannot be decoded.
 * - Pages get their CSP (a new nonce per request; pages render per request, see app/layout.tsx).
 * - A path Next could not decode (`/jobs/%`, `/api/v1/jobs/%E0%A4`) would end in Next's own 500, and an
 *   /api path with an encoded dot or slash would be normalised by Next: each is a 400 here instead.
 * Not run for other /api and /auth requests: those are route handlers that answer JSON (next.config.mjs
 * gives them a closed policy), and Proxy would buffer their request bodies before their own limits apply.
 */
export function proxy(request: NextRequest) {
  const path = new URL(request.url).pathname;
  if (!decodable(path)) return Response.json({ error: 'invalid_path', message: 'The path is not valid percent-encoding.' }, { status: 400 });
  if (path.startsWith('/api/') && ENCODED_SEPARATOR.test(path)) {
    return Response.json({ error: 'invalid_path', message: 'The path holds an encoded slash, backslash or dot.' }, { status: 400 });
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const csp = pageCsp(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: [
    '/((?!api/|auth/|_next/static|_next/image|favicon.ico|healthz|readyz|metrics).*)',
    // An /api path with a % that is not an ASCII escape (%00-%7F): undecodable, or bytes no API path has.
    '/api/:rest((?:.*)%(?:[^0-7]|[0-7](?:[^0-9A-Fa-f]|$)|$).*)',
    // ... or with an encoded dot, slash or backslash.
    '/api/:rest((?:.*)%(?:2[eEfF]|5[cC]).*)',
  ],
};
