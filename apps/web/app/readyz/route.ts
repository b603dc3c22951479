import { serverConfig } from '@/lib/server-config';
import { logServerError } from '@/lib/server/log';

export const dynamic = 'force-dynamic';

// The console is ready when the API it talks to answers. Public: it names the API, never the error.
export async function GET() {
  try {
    const res = await fetch(`${serverConfig.apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000), cache: 'no-store' });
    if (!res.ok) throw new Error(`API answered ${res.status}`);
    return Response.json({ status: 'ready', checks: { api: { ok: true } } });
  } catch (err) {
    logServerError('readiness_check_failed', err, { check: 'api' });
    return Response.json({ status: 'not ready', checks: { api: { ok: false, error: 'no answer' } } }, { status: 503 });
  }
}
