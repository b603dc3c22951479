import { serverConfig } from '@/lib/server-config';
import { logServerError } from '@/lib/server/log';
import { crossSiteRefusal } from '@/lib/server/same-origin';
import { clearSessionCookie, sessionFromCookie } from '@/lib/server/session-cookie';
import { upstreamHeaders } from '@/lib/server/upstream';

export const dynamic = 'force-dynamic';

/** Signs out: the API ends the session (and its open event streams) at once; the cookie goes too. */
export async function POST(req: Request): Promise<Response> {
  const refused = crossSiteRefusal(req);
  if (refused) return refused;
  const session = await sessionFromCookie();
  if (session) {
    try {
      const res = await fetch(`${serverConfig.apiUrl}/v1/sessions/current`, {
        method: 'DELETE',
        headers: upstreamHeaders(req.headers, { session }),
        cache: 'no-store',
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status !== 204 && res.status !== 401) logServerError('logout_failed', new Error(`API answered ${res.status}`));
    } catch (err) {
      // The cookie still goes; the session then ends by its idle timeout.
      logServerError('api_unreachable', err, { path: '/v1/sessions/current' });
    }
  }
  await clearSessionCookie();
  return new Response(null, { status: 204 });
}
