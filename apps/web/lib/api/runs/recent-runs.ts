import { queryOptions, useQuery } from '@tanstack/react-query';
import { keys } from '../keys';
import { listRuns } from './list-runs';

/** The last N runs of one job (the slot strip on the jobs list). */
export const recentRunsQueryOptions = (job: string, count = 20) =>
  queryOptions({
    queryKey: [...keys.runs, 'recent', job, count] as const,
    queryFn: ({ signal }) => listRuns({ job, limit: count }, undefined, signal).then((p) => p.items),
    staleTime: 15_000,
    retry: 1,
  });

export const useRecentRuns = (job: string, count = 20) => useQuery(recentRunsQueryOptions(job, count));
