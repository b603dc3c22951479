import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { Job } from '../types';

export const getJob = (key: string, signal?: AbortSignal) => api<Job>(`/v1/jobs/${encodeURIComponent(key)}`, { signal });

export const jobQueryOptions = (key: string) =>
  queryOptions({ queryKey: keys.job(key), queryFn: ({ signal }) => getJob(key, signal), staleTime: 10_000 });

export const useJob = (key: string) => useQuery(jobQueryOptions(key));
