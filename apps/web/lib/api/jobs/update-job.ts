import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateJobBody } from '@timekeeper/contracts';
import { api } from '../http';
import { keys } from '../keys';
import type { Job } from '../types';

export type UpdateJobInput = { key: string; version: number; body: UpdateJobBody };

/** PATCH with If-Match: the version the form was loaded from; a 412 means someone saved in between. */
export const updateJob = ({ key, version, body }: UpdateJobInput) =>
  api<Job>(`/v1/jobs/${encodeURIComponent(key)}`, { method: 'PATCH', body, headers: { 'if-match': `"${version}"` } });

export function useUpdateJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateJob,
    onSuccess: (job) => qc.setQueryData(keys.job(job.key), job),
    onSettled: (_d, _e, input) =>
      Promise.all([qc.invalidateQueries({ queryKey: keys.jobs }), qc.invalidateQueries({ queryKey: keys.audit }), qc.invalidateQueries({ queryKey: keys.nextRuns(input.key) }), qc.invalidateQueries({ queryKey: keys.baseline(input.key) })]),
  });
}
