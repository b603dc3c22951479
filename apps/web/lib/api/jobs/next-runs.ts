import { useQuery } from '@tanstack/react-query';
import type { NextRunsOfJobsResponse, NextRunsResponse } from '@timekeeper/contracts';
import { NEXT_RUNS_MAX_JOBS } from '../../contract-values';
import { api, withQuery } from '../http';
import { keys } from '../keys';

// The server keeps each job's answer 15 s (per job row and version): refetching more often gains nothing.
const FRESH = { staleTime: 30_000, refetchInterval: 60_000 } as const;

/** One job's next runs (the job page's). */
export const useNextRuns = (key: string, count = 10, enabled = true) =>
  useQuery({
    queryKey: [...keys.nextRuns(key), count] as const,
    queryFn: ({ signal }) => api<NextRunsResponse>(`/v1/jobs/${encodeURIComponent(key)}/next-runs?count=${count}`, { signal }),
    enabled,
    ...FRESH,
  });

/** Next runs of many jobs by key, in requests of up to NEXT_RUNS_MAX_JOBS jobs; missing keys are left out. */
async function getNextRunsOf(jobKeys: readonly string[], count: number, signal?: AbortSignal): Promise<Map<string, NextRunsResponse>> {
  const batches: string[][] = [];
  for (let i = 0; i < jobKeys.length; i += NEXT_RUNS_MAX_JOBS) batches.push(jobKeys.slice(i, i + NEXT_RUNS_MAX_JOBS));
  const pages = await Promise.all(batches.map((key) => api<NextRunsOfJobsResponse>(withQuery('/v1/next-runs', { key, count }), { signal })));
  return new Map(pages.flatMap((p) => p.jobs.map(({ key, ...rest }) => [key, rest] as const)));
}

/** The job list's and the timeline's: one query for every job they show (sorted keys, so order does not refetch). */
export function useNextRunsOf(jobKeys: readonly string[], count: number) {
  const sorted = [...jobKeys].sort();
  return useQuery({
    queryKey: [...keys.nextRunsOf(), count, sorted] as const,
    queryFn: ({ signal }) => getNextRunsOf(sorted, count, signal),
    enabled: sorted.length > 0,
    ...FRESH,
  });
}
