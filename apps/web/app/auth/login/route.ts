import { cookies } from 'next/headers';
import { KEY_COOKIE, serverConfig } from '@/lib/server-config';

export const dynamic = 'force-dynamic';

/** Checks the key against GET /v1/me and, if the API accepts it, keeps it in an httpOnly cookie. */
export async function POST(req: Request): Promise<Response> {
  let key = '';
  try {
    const body = (await req.json()) as { key?: unknown };
    key = typeof body.key === 'string' ? body.key.trim() : '';
  } catch {
    // an unreadable body is the same as no key
  }
  if (!key) return Response.json({ error: 'invalid_request', message: 'Enter an API key.', details: [{ field: 'key', message: 'required' }] }, { status: 400 });
  let res: Response;
  try {
    res = await fetch(`${serverConfig.apiUrl}/v1/me`, { headers: { authorization: `Bearer ${key}` }, cache: 'no-store', signal: AbortSignal.timeout(5_000) });
  } catch {
    return Response.json({ error: 'api_unreachable', message: 'The API did not answer; try again in a moment.' }, { status: 502 });
  }
  if (!res.ok) {
    const message = res.status === 401 ? 'That API key is not valid.' : res.status === 429 ? 'Too many failed attempts; wait a minute.' : `The API answered ${res.status}.`;
    return Response.json({ error: 'unauthorized', message, details: [{ field: 'key', message }] }, { status: res.status === 429 ? 429 : 401 });
  }
  const me = (await res.json()) as { actor: string; role: string };
  (await cookies()).set(KEY_COOKIE, key, {
    httpOnly: true,
    sameSite: 'strict',
    secure: serverConfig.cookieSecure,
    path: '/',
    maxAge: 60 * 60 * 12,
  });
  return Response.json(me);
}
