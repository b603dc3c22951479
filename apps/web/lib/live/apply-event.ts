import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { AlertEvent, RunEvent, RunProgressEvent } from '@timekeeper/contracts';
import { keys } from '../api/keys';
import type { Alert, Page, Run } from '../api/types';
import { sameSlot } from '../runs/slot-key';

// How a live event lands in the caches: runs and alerts are merged in place (no refetch, no layout
// jump); lists whose order or filters the event may change are refetched in the background.

/**
 * A state event applied to what the console knows of its slot (or to nothing, for a slot not seen
 * yet). The event's times are the ledger's `startedAt`/`finishedAt`; a new attempt clears the close
 * time. Progress, result and fence are not in state events and are kept.
 */
export function runFromEvent(e: RunEvent, known?: Run): Run {
  return {
    jobKey: e.jobKey,
    slot: known?.slot ?? e.slot,
    status: e.status,
    workflowId: e.workflowId ?? known?.workflowId ?? null,
    runId: e.runId ?? known?.runId ?? null,
    attempt: e.attempt,
    // Events do not carry the slot's run count; a slot first seen live has had one run.
    runs: known?.runs ?? 1,
    startTime: e.startedAt ?? known?.startTime ?? null,
    closeTime: e.finishedAt,
    progress: known?.progress ?? null,
    result: known?.result ?? null,
    errorType: e.errorType,
    errorMessage: e.errorMessage,
    reason: e.reason ?? known?.reason ?? null,
    fence: known?.fence ?? null,
    source: 'ledger',
  };
}

/**
 * A late `running` event of the run and attempt that already closed (delivered after a refetch showed
 * the verdict) must not reopen it.
 */
function isStale(e: RunEvent, known: Run): boolean {
  return e.status === 'running' && known.closeTime !== null && known.status !== 'running' && e.runId === known.runId && e.attempt <= known.attempt;
}

/** A progress event applied to its slot: only progress changes, and never to an older report. */
export function withProgress(known: Run, e: RunProgressEvent): Run {
  const mine = known.progress?.at ? Date.parse(known.progress.at) : Number.NaN;
  const theirs = e.progress.at ? Date.parse(e.progress.at) : Number.NaN;
  if (Number.isFinite(mine) && Number.isFinite(theirs) && theirs < mine) return known;
  return { ...known, progress: e.progress };
}

/** The list with the event applied to its slot, or the slot added (newest first or last, capped). */
export function mergeRunEvent(list: Run[], e: RunEvent, newestFirst: boolean, cap?: number): Run[] {
  const i = list.findIndex((r) => sameSlot(r, e));
  if (i >= 0) {
    if (isStale(e, list[i])) return list;
    const next = list.slice();
    next[i] = runFromEvent(e, list[i]);
    return next;
  }
  const run = runFromEvent(e);
  const next = newestFirst ? [run, ...list] : [...list, run];
  return cap ? (newestFirst ? next.slice(0, cap) : next.slice(-cap)) : next;
}

/** Progress events applied to the slots they name; the list object is kept when none matched. */
export function mergeProgress(list: Run[], events: RunProgressEvent[]): Run[] {
  let next: Run[] | null = null;
  for (const e of events) {
    const i = (next ?? list).findIndex((r) => sameSlot(r, e));
    if (i < 0) continue;
    next ??= list.slice();
    next[i] = withProgress(next[i], e);
  }
  return next ?? list;
}

type WindowData = { items: Run[]; truncated: boolean };

export function applyRunEvent(qc: QueryClient, e: RunEvent): void {
  qc.setQueriesData<WindowData>({ queryKey: [...keys.runs, 'window'] }, (old) => (old ? { ...old, items: mergeRunEvent(old.items, e, true) } : old));
  qc.setQueriesData<Run[]>({ queryKey: [...keys.runs, 'recent', e.jobKey] }, (old) => (old ? mergeRunEvent(old, e, true, old.length >= 20 ? old.length : undefined) : old));
  qc.setQueriesData<InfiniteData<Page<Run>>>({ queryKey: [...keys.runs, 'list'] }, (old) => {
    if (!old?.pages?.length) return old;
    if (!old.pages.some((p) => p.items.some((r) => sameSlot(r, e)))) return old;
    return { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map((r) => (sameSlot(r, e) && !isStale(e, r) ? runFromEvent(e, r) : r)) })) };
  });
}

/** A batch of progress events, one cache update per view (the live feed flushes them together). */
export function applyProgressEvents(qc: QueryClient, events: RunProgressEvent[]): void {
  if (!events.length) return;
  qc.setQueriesData<WindowData>({ queryKey: [...keys.runs, 'window'] }, (old) => {
    if (!old) return old;
    const items = mergeProgress(old.items, events);
    return items === old.items ? old : { ...old, items };
  });
  qc.setQueriesData<InfiniteData<Page<Run>>>({ queryKey: [...keys.runs, 'list'] }, (old) => {
    if (!old?.pages?.length) return old;
    const pages = old.pages.map((p) => {
      const items = mergeProgress(p.items, events);
      return items === p.items ? p : { ...p, items };
    });
    return pages.every((p, i) => p === old.pages[i]) ? old : { ...old, pages };
  });
}

export function applyAlertEvent(qc: QueryClient, e: AlertEvent): void {
  const alert: Alert = e.alert;
  qc.setQueriesData<InfiniteData<Page<Alert>>>({ queryKey: [...keys.alerts, 'list'] }, (old) => {
    if (!old?.pages?.length) return old;
    const known = old.pages.some((p) => p.items.some((a) => a.id === alert.id));
    if (known) return { ...old, pages: old.pages.map((p) => ({ ...p, items: p.items.map((a) => (a.id === alert.id ? { ...a, ...alert } : a)) })) };
    return old;
  });
}
