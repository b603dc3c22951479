import autocannon from 'autocannon';

export type LoadResult = { p50: number; p99: number; rps: number; requests: number };
export type LoadOptions = {
  seconds: number;
  connections: number;
  /** Offered load in requests per second over all connections (open loop); absent: as fast as answered. */
  rate?: number;
};
export type LoadTarget = { url: string; headers?: Record<string, string> };

/**
 * Closed-loop HTTP load on one URL (autocannon in a worker thread, so the client does not share the
 * event loop of a server in the same process): `connections` clients each send the next request as
 * soon as the previous answer arrives, for `seconds` (or, with `rate`, requests are paced to that rate,
 * so latency is measured below saturation rather than as queueing). Any non-2xx answer or error fails the run, so a
 * figure never hides errors.
 */
export async function httpLoad(target: LoadTarget, opts: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url: target.url, connections: opts.connections, duration: opts.seconds, headers: target.headers ?? {}, workers: 1, ...(opts.rate ? { overallRate: opts.rate } : {}) });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${target.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, requests: result.requests.total };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Loads each target in turn, `rounds` times over (A B A B ...), and gives each target the median of its
 * rounds: on a shared, noisy machine a burst of load then hits both sides instead of one.
 */
export async function alternatingLoads<K extends string>(targets: Record<K, LoadTarget>, opts: LoadOptions & { rounds: number }): Promise<Record<K, LoadResult>> {
  const runs = {} as Record<K, LoadResult[]>;
  for (let r = 0; r < opts.rounds; r++) {
    for (const key of Object.keys(targets) as K[]) (runs[key] ??= []).push(await httpLoad(targets[key], opts));
  }
  const out = {} as Record<K, LoadResult>;
  for (const key of Object.keys(runs) as K[]) {
    const rs = runs[key];
    out[key] = { p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)), rps: median(rs.map((x) => x.rps)), requests: rs.reduce((s, x) => s + x.requests, 0) };
  }
  return out;
}
