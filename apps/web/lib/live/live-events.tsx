'use client';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AlertEvent, RunLiveEvent, RunProgressEvent } from '@timekeeper/contracts';
import { keys } from '../api/keys';
import { applyAlertEvent, applyProgressEvents, applyRunEvent } from './apply-event';

export type LiveState = 'connecting' | 'live' | 'offline';
type Listener = (type: 'run' | 'alert', data: RunLiveEvent | AlertEvent) => void;

// Progress events are applied together this often: each update rebuilds the timeline's rows.
const PROGRESS_FLUSH_MS = 500;

const LiveContext = createContext<{ state: LiveState; subscribe: (fn: Listener) => () => void }>({ state: 'offline', subscribe: () => () => {} });

/**
 * Polling interval for views that must stay fresh: `ms` without the stream; while it is live, a slow
 * safety net (an event lost between a server restart and the reconnect must not freeze a view).
 */
export function useFallbackInterval(ms = 5_000): number {
  return useContext(LiveContext).state === 'live' ? Math.max(ms * 6, 30_000) : ms;
}
export const useLiveState = () => useContext(LiveContext).state;
export const useLiveSubscribe = () => useContext(LiveContext).subscribe;

/**
 * One EventSource for the tab, through the web server's proxy (the browser never holds the key).
 * EventSource resumes with Last-Event-ID by itself; if the API has no stream yet (404) it gives up, and
 * we look again every 30 s while the views poll.
 */
export function LiveEvents({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const listeners = useRef(new Set<Listener>());
  const [subscribe] = useState(() => (fn: Listener) => {
    listeners.current.add(fn);
    return () => listeners.current.delete(fn);
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let invalidate: ReturnType<typeof setTimeout> | undefined;
    let flush: ReturnType<typeof setTimeout> | undefined;
    let progress: RunProgressEvent[] = [];
    let stopped = false;
    const soon = (fn: () => void) => {
      clearTimeout(invalidate);
      invalidate = setTimeout(fn, 800);
    };
    const parse = <T,>(e: Event): T | null => {
      try {
        const data = JSON.parse((e as MessageEvent<string>).data) as unknown;
        return data && typeof data === 'object' ? (data as T) : null;
      } catch {
        return null;
      }
    };
    const queueProgress = (e: RunProgressEvent) => {
      progress.push(e);
      flush ??= setTimeout(() => {
        flush = undefined;
        const batch = progress;
        progress = [];
        applyProgressEvents(qc, batch);
      }, PROGRESS_FLUSH_MS);
    };
    const open = () => {
      if (stopped) return;
      setState('connecting');
      source = new EventSource('/api/v1/events');
      source.onopen = () => setState('live');
      source.addEventListener('run', (e) => {
        const data = parse<RunLiveEvent>(e);
        if (!data) return;
        listeners.current.forEach((fn) => fn('run', data));
        if (data.type === 'run.progress') return queueProgress(data);
        if (data.type !== 'run.state') return;
        applyRunEvent(qc, data);
        // A new slot or verdict may change which runs a filtered, paged list holds.
        soon(() => void qc.invalidateQueries({ queryKey: [...keys.runs, 'list'] }));
      });
      source.addEventListener('alert', (e) => {
        const data = parse<AlertEvent>(e);
        if (!data?.alert) return;
        applyAlertEvent(qc, data);
        listeners.current.forEach((fn) => fn('alert', data));
        soon(() => void qc.invalidateQueries({ queryKey: keys.alerts }));
      });
      // The API ends the stream when the session ends or its key is revoked: sign in again, don't reconnect.
      source.addEventListener('revoked', () => {
        stopped = true;
        source?.close();
        setState('offline');
        window.dispatchEvent(new CustomEvent('tk:unauthorized'));
      });
      // Resumed from further back than the stream holds: what was missed is refetched instead.
      source.addEventListener('gap', () => {
        void qc.invalidateQueries({ queryKey: keys.runs });
        void qc.invalidateQueries({ queryKey: keys.alerts });
      });
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          setState('offline');
          retry = setTimeout(open, 30_000);
        } else {
          setState('connecting');
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(invalidate);
      clearTimeout(flush);
      source?.close();
    };
  }, [qc]);

  return <LiveContext.Provider value={{ state, subscribe }}>{children}</LiveContext.Provider>;
}
