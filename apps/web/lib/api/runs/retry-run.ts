import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RetryRunBody, RetryRunResult } from '@timekeeper/contracts';
import { api } from '../http';
import { keys } from '../keys';

export type RetryRunInput = { workflowId: string } & RetryRunBody;

export const retryRun = ({ workflowId, ...body }: RetryRunInput) =>
  api<RetryRunResult>(`/v1/runs/${encodeURIComponent(workflowId)}/retry`, { method: 'POST', body });

export function useRetryRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: retryRun,
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: keys.runs });
      setTimeout(() => void qc.invalidateQueries({ queryKey: keys.runs }), 1_500);
      await qc.invalidateQueries({ queryKey: keys.audit });
    },
  });
}
