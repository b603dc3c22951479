export const dynamic = 'force-dynamic';

// A few process gauges in Prometheus text format; the console does little else server-side.
export function GET() {
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
