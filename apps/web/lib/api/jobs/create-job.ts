import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateJobBody } from '@timekeeper/contracts';
import { api } from '../http';
import { keys } from '../keys';
import type { Job } from '../types';

export const createJob = (body: CreateJobBody) => api<Job>('/v1/jobs', { method: 'POST', body });

export function useCreateJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createJob,
    onSuccess: (job) => qc.setQueryData(keys.job(job.key), job),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.jobs }), qc.invalidateQueries({ queryKey: keys.audit })]),
  });
}
