import type { NextRequest } from 'next/server';
import { serverConfig } from '@/lib/server-config';
import { apiPath } from '@/lib/server/api-path';
import { readCappedBody, tooLargeMessage } from '@/lib/server/capped-body';
import { logServerError } from '@/lib/server/log';
import { problem } from '@/lib/server/problem';
import { crossSiteRefusal } from '@/lib/server/same-origin';
import { clearSessionCookie, sessionFromCookie } from '@/lib/server/session-cookie';
import { upstreamHeaders } from '@/lib/server/upstream';

export const dynamic = 'force-dynamic';

// Request headers worth passing on; everything else (cookies above all) stays here.
const FORWARD_REQUEST = ['accept', 'content-type', 'if-match', 'last-event-id'];
const FORWARD_RESPONSE = ['content-type', 'etag', 'cache-control', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
const WITHOUT_BODY = ['GET', 'HEAD', 'DELETE'];

/**
 * The browser's only door to the API: /api/v1/... goes to API_URL/v1/... with the browser's session
 * (the API resolves it to the key it stands for; the key itself never reaches the browser). Bodies are
 * counted before they are buffered; responses stream, so the live event stream passes through.
 */
async function forward(req: NextRequest, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await ctx.params;
  const target = apiPath(req.url, path);
  if (!target.ok) return problem(target.status, target.status === 404 ? 'not_found' : 'invalid_path', target.message);
  const session = await sessionFromCookie();
  if (!session) return problem(401, 'unauthorized', 'Sign in with an API key first.');
  if (!['GET', 'HEAD'].includes(req.method)) {
    const refused = crossSiteRefusal(req);
    if (refused) return refused;
  }

  let body: Uint8Array | undefined;
  if (!WITHOUT_BODY.includes(req.method)) {
    const read = await readCappedBody(req, serverConfig.maxBodyBytes);
    if (!read) return problem(413, 'payload_too_large', tooLargeMessage(serverConfig.maxBodyBytes));
    body = read;
  }
  const headers = upstreamHeaders(req.headers, { session });
  for (const name of FORWARD_REQUEST) {
    const value = req.headers.get(name);
    if (value) headers.set(name, value);
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${serverConfig.apiUrl}${target.path}${req.nextUrl.search}`, {
      method: req.method,
      headers,
      body: body as BodyInit | undefined,
      signal: req.signal,
      cache: 'no-store',
      redirect: 'manual',
    });
  } catch (err) {
    if (req.signal.aborted) return new Response(null, { status: 499 });
    logServerError('api_unreachable', err, { path: target.path });
    return problem(502, 'api_unreachable', 'The API did not answer; try again in a moment.');
  }

  // A session the API no longer knows (logged out elsewhere, key revoked, expired): drop the cookie too.
  if (upstream.status === 401) await clearSessionCookie();
  const out = new Headers();
  for (const name of FORWARD_RESPONSE) {
    const value = upstream.headers.get(name);
    if (value) out.set(name, value);
  }
  if (out.get('content-type')?.startsWith('text/event-stream')) {
    out.set('cache-control', 'no-cache, no-transform');
    out.set('x-accel-buffering', 'no');
  }
  return new Response(upstream.status === 204 ? null : upstream.body, { status: upstream.status, headers: out });
}

export { forward as GET, forward as POST, forward as PATCH, forward as PUT, forward as DELETE };
