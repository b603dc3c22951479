import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { NextRunsResponse } from '@timekeeper/contracts';

export const getNextRuns = (key: string, count: number, signal?: AbortSignal) =>
  api<NextRunsResponse>(`/v1/jobs/${encodeURIComponent(key)}/next-runs?count=${count}`, { signal });

export const nextRunsQueryOptions = (key: string, count = 10) =>
  queryOptions({
    queryKey: [...keys.nextRuns(key), count] as const,
    queryFn: ({ signal }) => getNextRuns(key, count, signal),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });

export const useNextRuns = (key: string, count = 10, enabled = true) => useQuery({ ...nextRunsQueryOptions(key, count), enabled });
