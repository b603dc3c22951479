import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OverlapPolicy, TriggerJobBody, TriggerJobResult } from '@timekeeper/contracts';
import { api } from '../http';
import { keys } from '../keys';

export type TriggerInput = { key: string; overlap?: OverlapPolicy };

export function triggerJob({ key, overlap }: TriggerInput) {
  const body: TriggerJobBody = overlap ? { overlap } : {};
  return api<TriggerJobResult>(`/v1/jobs/${encodeURIComponent(key)}/trigger`, { method: 'POST', body });
}

export function useTriggerJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: triggerJob,
    // The run shows up in visibility a moment later; refetch now and once more shortly after.
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: keys.runs });
      setTimeout(() => void qc.invalidateQueries({ queryKey: keys.runs }), 1_500);
      await qc.invalidateQueries({ queryKey: keys.audit });
    },
  });
}
