import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import { keys } from '../keys';
import type { Job, Page } from '../types';

type Snapshot = [QueryKey, unknown][];

/** Applies a change to one job everywhere it is cached (detail, paged lists, "all" lists); returns what to restore. */
export function patchJobInCaches(qc: QueryClient, key: string, patch: (job: Job) => Job): Snapshot {
  const snapshot: Snapshot = [];
  for (const [queryKey, data] of qc.getQueriesData({ queryKey: keys.jobs })) {
    if (data === undefined) continue;
    const next = patchData(data, key, patch);
    if (next !== data) {
      snapshot.push([queryKey, data]);
      qc.setQueryData(queryKey, next);
    }
  }
  return snapshot;
}

export function restore(qc: QueryClient, snapshot: Snapshot): void {
  for (const [queryKey, data] of snapshot) qc.setQueryData(queryKey, data);
}

function patchData(data: unknown, key: string, patch: (job: Job) => Job): unknown {
  if (Array.isArray(data)) {
    return data.some((j: Job) => j?.key === key) ? data.map((j: Job) => (j.key === key ? patch(j) : j)) : data;
  }
  const d = data as Partial<Job> & Partial<InfiniteData<Page<Job>>>;
  if (d.pages) {
    const hit = d.pages.some((p) => p.items.some((j) => j.key === key));
    if (!hit) return data;
    return { ...d, pages: d.pages.map((p) => ({ ...p, items: p.items.map((j) => (j.key === key ? patch(j) : j)) })) };
  }
  if (d.key === key && typeof d.version === 'number') return patch(d as Job);
  return data;
}
