import { serverConfig } from '@/lib/server-config';

export const dynamic = 'force-dynamic';

// The console is ready when the API it talks to answers.
export async function GET() {
  try {
    const res = await fetch(`${serverConfig.apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000), cache: 'no-store' });
    if (!res.ok) throw new Error(`API answered ${res.status}`);
    return Response.json({ status: 'ready', checks: { api: { ok: true } } });
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return Response.json({ status: 'not ready', checks: { api: { ok: false, error } } }, { status: 503 });
  }
}
