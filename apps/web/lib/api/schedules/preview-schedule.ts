import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../http';
import { keys } from '../keys';
import type { MissingWallTime, RepeatedWallTime, SchedulePreviewResponse } from '@timekeeper/contracts';

export type PreviewInput = {
  cron?: string;
  interval?: string;
  timezone: string;
  repeatedWallTime?: RepeatedWallTime;
  missingWallTime?: MissingWallTime;
  count: number;
  from?: string;
};

export const previewSchedule = (input: PreviewInput, signal?: AbortSignal) =>
  api<SchedulePreviewResponse>('/v1/schedules/preview', { method: 'POST', body: input, signal });

export const schedulePreviewQueryOptions = (input: PreviewInput) =>
  queryOptions({
    queryKey: [...keys.schedulePreview, input] as const,
    queryFn: ({ signal }) => previewSchedule(input, signal),
    staleTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });

/** Pass null while the input is incomplete (or still being typed: debounce before calling). */
export const useSchedulePreview = (input: PreviewInput | null) =>
  useQuery({ ...schedulePreviewQueryOptions(input ?? { timezone: 'UTC', count: 0 }), enabled: input !== null });
