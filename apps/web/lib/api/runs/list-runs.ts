import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { api, withQuery } from '../http';
import { keys } from '../keys';
import type { Page, Run } from '../types';

export type RunFilters = { job?: string; status?: string; from?: string; to?: string; limit?: number };

export const listRuns = ({ job, ...rest }: RunFilters, cursor?: string, signal?: AbortSignal) =>
  api<Page<Run>>(withQuery(job ? `/v1/jobs/${encodeURIComponent(job)}/runs` : '/v1/runs', { ...rest, cursor }), { signal });

export const runsQueryOptions = (filters: RunFilters) =>
  infiniteQueryOptions({
    queryKey: [...keys.runs, 'list', filters] as const,
    queryFn: ({ pageParam, signal }) => listRuns(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.nextCursor == null ? undefined : String(last.nextCursor)),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });

export const useRuns = (filters: RunFilters, refetchInterval?: (data: InfiniteData<Page<Run>> | undefined) => number | false) =>
  useInfiniteQuery({ ...runsQueryOptions(filters), refetchInterval: refetchInterval ? (q) => refetchInterval(q.state.data) : undefined });
