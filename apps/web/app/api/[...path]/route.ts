import { cookies } from 'next/headers';
import type { NextRequest } from 'next/server';
import { KEY_COOKIE, serverConfig } from '@/lib/server-config';

export const dynamic = 'force-dynamic';

// Request headers worth passing on; everything else (cookies above all) stays here.
const FORWARD_REQUEST = ['accept', 'content-type', 'if-match', 'last-event-id'];
const FORWARD_RESPONSE = ['content-type', 'etag', 'cache-control', 'retry-after'];

function problem(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status });
}

/**
 * The browser's only door to the API: /api/v1/... goes to API_URL/v1/... with the key from the
 * httpOnly cookie as the Bearer token. Bodies stream both ways, so the live event stream passes through.
 */
async function forward(req: NextRequest, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await ctx.params;
  if (path[0] !== 'v1') return problem(404, 'not_found', 'Only /api/v1/... is forwarded');
  const key = (await cookies()).get(KEY_COOKIE)?.value;
  if (!key) return problem(401, 'unauthorized', 'Sign in with an API key first.');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // SameSite=Strict already keeps other sites' forms out; an Origin from elsewhere is refused too.
    const origin = req.headers.get('origin');
    if (origin && new URL(origin).host !== req.headers.get('host')) return problem(403, 'forbidden', 'Cross-site request refused');
  }

  const target = `${serverConfig.apiUrl}/${path.map(encodeURIComponent).join('/')}${req.nextUrl.search}`;
  const headers = new Headers({ authorization: `Bearer ${key}` });
  for (const name of FORWARD_REQUEST) {
    const value = req.headers.get(name);
    if (value) headers.set(name, value);
  }
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(req.method);
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? await req.arrayBuffer() : undefined,
      signal: req.signal,
      cache: 'no-store',
      redirect: 'manual',
    });
  } catch (err) {
    if (req.signal.aborted) return new Response(null, { status: 499 });
    return problem(502, 'api_unreachable', `The API did not answer: ${err instanceof Error ? err.message : String(err)}`);
  }

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
