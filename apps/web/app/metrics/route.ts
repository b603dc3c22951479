import { serverConfig } from '@/lib/server-config';
import { upstreamHeaders } from '@/lib/server/upstream';

export const dynamic = 'force-dynamic';

const UNAUTHORIZED = { error: 'unauthorized', message: '/metrics needs an API key (any role): Authorization: Bearer <key>' };

/** Whether the API knows the presented key (the console keeps no keys of its own to check against). */
async function keyIsValid(incoming: Headers, key: string): Promise<boolean> {
  const res = await fetch(`${serverConfig.apiUrl}/v1/me`, { headers: upstreamHeaders(incoming, { key }), cache: 'no-store' }).catch(() => null);
  return res?.ok ?? false;
}

// A few process gauges in Prometheus text format; the console does little else server-side. Like every
// route but the probes, it needs a credential: a scraper sends an API key, as to the API's /metrics.
export async function GET(request: Request) {
  const key = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  if (!key || !(await keyIsValid(request.headers, key))) return Response.json(UNAUTHORIZED, { status: 401 });
  const mem = process.memoryUsage();
  const body = [
    '# HELP process_uptime_seconds Seconds since the web server started.',
    '# TYPE process_uptime_seconds gauge',
    `process_uptime_seconds{app="web"} ${process.uptime().toFixed(3)}`,
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes{app="web"} ${mem.rss}`,
    '',
  ].join('\n');
  return new Response(body, { headers: { 'content-type': 'text/plain; version=0.0.4' } });
}
