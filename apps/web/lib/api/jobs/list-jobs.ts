import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from '../http';
import { keys } from '../keys';
import type { Job, Page } from '../types';

export type JobSort = 'key' | '-key' | 'name' | '-name' | 'updatedAt' | '-updatedAt';
export type JobFilters = { tag?: string; kind?: string; paused?: boolean; text?: string; sort?: JobSort; limit?: number };

export const listJobs = (filters: JobFilters, cursor?: string, signal?: AbortSignal) =>
  api<Page<Job>>(withQuery('/v1/jobs', { ...filters, cursor }), { signal });

export const jobsQueryOptions = (filters: JobFilters = {}) =>
  infiniteQueryOptions({
    queryKey: [...keys.jobLists(), filters] as const,
    queryFn: ({ pageParam, signal }) => listJobs(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.nextCursor == null ? undefined : String(last.nextCursor)),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });

export const useJobs = (filters: JobFilters = {}) => useInfiniteQuery(jobsQueryOptions(filters));

/** Every job (the timeline needs them all), following cursors. */
export async function listAllJobs(filters: JobFilters = {}, signal?: AbortSignal): Promise<Job[]> {
  const out: Job[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await listJobs({ ...filters, limit: 200 }, cursor, signal);
    out.push(...page.items);
    if (page.nextCursor == null) break;
    cursor = String(page.nextCursor);
  }
  return out;
}
