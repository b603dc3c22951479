import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { Job } from '../types';
import { patchJobInCaches, restore } from './job-cache';

export type SetPausedInput = { key: string; paused: boolean; note?: string };

export const setPaused = ({ key, paused, note }: SetPausedInput) =>
  api<Job>(`/v1/jobs/${encodeURIComponent(key)}/${paused ? 'pause' : 'resume'}`, { method: 'POST', body: note ? { note } : {} });

/** Pause or resume, shown at once and rolled back if the API refuses. */
export function useSetPaused() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: setPaused,
    onMutate: async (input) => {
      await qc.cancelQueries({ queryKey: keys.jobs });
      const snapshot = patchJobInCaches(qc, input.key, (j) => ({ ...j, paused: input.paused, pauseNote: input.paused ? (input.note ?? null) : null }));
      return { snapshot };
    },
    onError: (_err, _input, ctx) => {
      if (ctx) restore(qc, ctx.snapshot);
    },
    onSuccess: (job) => {
      patchJobInCaches(qc, job.key, () => job);
    },
    onSettled: (_d, _e, input) => Promise.all([qc.invalidateQueries({ queryKey: keys.jobs }), qc.invalidateQueries({ queryKey: [...keys.audit] }), qc.invalidateQueries({ queryKey: keys.nextRuns(input.key) })]),
  });
}
