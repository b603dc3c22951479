import { serverConfig } from '@/lib/server-config';
import { readCappedBody } from '@/lib/server/capped-body';
import { logServerError } from '@/lib/server/log';
import { problem } from '@/lib/server/problem';
import { crossSiteRefusal } from '@/lib/server/same-origin';
import { setSessionCookie } from '@/lib/server/session-cookie';
import { upstreamHeaders } from '@/lib/server/upstream';

export const dynamic = 'force-dynamic';

// A key is about 60 characters: anything near this is not a sign-in.
const MAX_LOGIN_BODY = 4 * 1024;

/**
 * Signs in: the key from the form goes to the API once (POST /v1/sessions), which answers with a session
 * id; the browser keeps only that, in an httpOnly cookie. Same-origin JSON only, so another site's form
 * (even a text/plain one carrying JSON) cannot sign a visitor in with its own key.
 */
export async function POST(req: Request): Promise<Response> {
  const refused = crossSiteRefusal(req);
  if (refused) return refused;
  if (!req.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
    return problem(415, 'unsupported_media_type', 'Send the key as JSON: {"key": "..."}.');
  }
  const raw = await readCappedBody(req, MAX_LOGIN_BODY);
  if (!raw) return problem(413, 'payload_too_large', 'The sign-in request is too large.');
  let key = '';
  try {
    const body = JSON.parse(new TextDecoder().decode(raw)) as { key?: unknown };
    key = typeof body?.key === 'string' ? body.key.trim() : '';
  } catch {
    // an unreadable body is the same as no key
  }
  if (!key) return problem(400, 'invalid_request', 'Enter an API key.', [{ field: 'key', message: 'required' }]);
  let res: Response;
  try {
    res = await fetch(`${serverConfig.apiUrl}/v1/sessions`, {
      method: 'POST',
      headers: upstreamHeaders(req.headers, { key }),
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(5_000),
    });
  } catch (err) {
    logServerError('api_unreachable', err, { path: '/v1/sessions' });
    return problem(502, 'api_unreachable', 'The API did not answer; try again in a moment.');
  }
  if (res.status !== 201) {
    const message =
      res.status === 401 ? 'That API key is not valid.' : res.status === 429 ? 'Too many failed attempts; wait a minute.' : `The API answered ${res.status}.`;
    const retryAfter = res.headers.get('retry-after');
    return problem(res.status === 429 ? 429 : 401, res.status === 429 ? 'rate_limited' : 'unauthorized', message, [{ field: 'key', message }], retryAfter ? { 'retry-after': retryAfter } : undefined);
  }
  const created = (await res.json()) as { session: string; expiresAt: string; actor: string; role: string };
  await setSessionCookie(created.session, new Date(created.expiresAt));
  return Response.json({ actor: created.actor, role: created.role });
}
