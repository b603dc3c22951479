import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BackfillBody, BackfillResult } from '@timekeeper/contracts';
import { api } from '../http';
import { keys } from '../keys';

export type BackfillInput = { key: string } & BackfillBody;

export const backfillJob = ({ key, ...body }: BackfillInput) =>
  api<BackfillResult>(`/v1/jobs/${encodeURIComponent(key)}/backfill`, { method: 'POST', body });

export function useBackfillJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: backfillJob,
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.runs }), qc.invalidateQueries({ queryKey: keys.audit })]),
  });
}
