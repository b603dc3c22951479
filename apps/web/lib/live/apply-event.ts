import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { keys } from '../api/keys';
import type { Alert, Page, Run } from '../api/types';

// How a live event lands in the caches: runs and alerts are merged in place (no refetch, no layout
// jump); lists whose order or filters the event may change are refetched in the background.

const sameRun = (a: Run, b: Run) => a.workflowId === b.workflowId && (a.runId === b.runId || !a.runId || !b.runId);

export function unwrap<T>(data: unknown, field: string): T | null {
  if (!data || typeof data !== 'object') return null;
  const inner = (data as Record<string, unknown>)[field];
  return (inner && typeof inner === 'object' ? inner : data) as T;
}

export function mergeRun(list: Run[], run: Run, newestFirst: boolean, cap?: number): Run[] {
  const i = list.findIndex((r) => sameRun(r, run));
  if (i >= 0) {
    const next = list.slice();
    next[i] = { ...list[i], ...run };
    return next;
  }
  const next = newestFirst ? [run, ...list] : [...list, run];
  return cap ? (newestFirst ? next.slice(0, cap) : next.slice(-cap)) : next;
}

export function applyRunEvent(qc: QueryClient, run: Run): void {
  if (!run.workflowId) return;
  qc.setQueriesData<{ items: Run[]; truncated: boolean }>({ queryKey: [...keys.runs, 'window'] }, (old) => {
    if (!old) return old;
    const t = Date.parse(run.startTime ?? run.slot ?? '');
    return { ...old, items: mergeRun(old.items, { ...run, startTime: run.startTime ?? (Number.isFinite(t) ? new Date(t).toISOString() : null) }, true) };
  });
  if (run.jobKey) {
    qc.setQueriesData<Run[]>({ queryKey: [...keys.runs, 'recent', run.jobKey] }, (old) => (old ? mergeRun(old, run, true, old.length >= 20 ? old.length : undefined) : old));
  }
  qc.setQueriesData<InfiniteData<Page<Run>>>({ queryKey: [...keys.runs, 'list'] }, (old) => {
    if (!old?.pages?.length) return old;
    const known = old.pages.some((p) => p.items.some((r) => sameRun(r, run)));
    if (!known) return old;
    return { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map((r) => (sameRun(r, run) ? { ...r, ...run } : r)) })) };
  });
}

export function applyAlertEvent(qc: QueryClient, alert: Alert): void {
  qc.setQueriesData<InfiniteData<Page<Alert>>>({ queryKey: [...keys.alerts, 'list'] }, (old) => {
    if (!old?.pages?.length) return old;
    const known = old.pages.some((p) => p.items.some((a) => a.id === alert.id));
    if (known) return { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map((a) => (a.id === alert.id ? { ...a, ...alert } : a)) })) };
    return old;
  });
}
