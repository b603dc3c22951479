import { queryOptions, useQuery } from '@tanstack/react-query';
import { keys } from '../keys';
import { listAllJobs, type JobFilters } from './list-jobs';

export const allJobsQueryOptions = (filters: JobFilters = {}) =>
  queryOptions({
    queryKey: [...keys.jobLists(), 'all', filters] as const,
    queryFn: ({ signal }) => listAllJobs(filters, signal),
    staleTime: 30_000,
  });

export const useAllJobs = (filters: JobFilters = {}) => useQuery(allJobsQueryOptions(filters));
