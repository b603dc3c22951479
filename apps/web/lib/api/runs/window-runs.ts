import { queryOptions, useQuery } from '@tanstack/react-query';
import { keys } from '../keys';
import type { Run } from '../types';
import { listRuns } from './list-runs';

const MAX_PAGES = 25;

/** Every run that started in [from, to), following cursors up to a bound (the timeline's data). */
export async function listRunsInWindow(from: string, to: string, signal?: AbortSignal): Promise<{ items: Run[]; truncated: boolean }> {
  const items: Run[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await listRuns({ from, to, limit: 200 }, cursor, signal);
    items.push(...res.items);
    if (res.nextCursor == null) return { items, truncated: false };
    cursor = String(res.nextCursor);
  }
  return { items, truncated: true };
}

export const windowRunsQueryOptions = (from: string, to: string) =>
  queryOptions({
    queryKey: [...keys.runs, 'window', from, to] as const,
    queryFn: ({ signal }) => listRunsInWindow(from, to, signal),
    staleTime: 10_000,
    retry: 1,
  });

export const useWindowRuns = (from: string, to: string, enabled = true) => useQuery({ ...windowRunsQueryOptions(from, to), enabled });
