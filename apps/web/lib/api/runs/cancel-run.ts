import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';

export const cancelRun = (workflowId: string) =>
  api<{ cancelRequested: boolean }>(`/v1/runs/${encodeURIComponent(workflowId)}/cancel`, { method: 'POST', body: {} });

export function useCancelRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: cancelRun,
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.runs }), qc.invalidateQueries({ queryKey: keys.audit })]),
  });
}
