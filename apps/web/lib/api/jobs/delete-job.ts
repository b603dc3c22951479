import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';

export const deleteJob = (key: string) => api<void | { deleted: boolean; syncStatus: string }>(`/v1/jobs/${encodeURIComponent(key)}`, { method: 'DELETE' });

export function useDeleteJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteJob,
    onSuccess: (_d, key) => qc.removeQueries({ queryKey: keys.job(key) }),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.jobLists() }), qc.invalidateQueries({ queryKey: keys.audit })]),
  });
}
