import autocannon from 'autocannon';

export type LoadResult = { p50: number; p99: number; rps: number; requests: number };

/**
 * Closed-loop HTTP load on one URL (autocannon): `connections` clients each send the next request as
 * soon as the previous answer arrives, for `seconds`. Any non-2xx answer or error fails the run, so a
 * figure never hides errors.
 */
export async function httpLoad(url: string, opts: { seconds: number; connections: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const result = await autocannon({ url, connections: opts.connections, duration: opts.seconds, headers: opts.headers ?? {} });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, requests: result.requests.total };
}
