'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { TimelineCanvas, type TimelineHandle } from '@/components/timeline/timeline-canvas';
import { ROW_H } from '@/components/timeline/draw';
import { CODE, upsertSlot, type Row } from '@/lib/timeline/model';
import { syntheticRows } from '@/lib/timeline/synthetic';

export type TimelinePerf = {
  jobs: number;
  days: number;
  slots: number;
  buildMs: number;
  firstRenderMs: number;
  render: { samples: number; meanMs: number; p95Ms: number; maxMs: number };
  update: { samples: number; meanMs: number; p95Ms: number; maxMs: number };
};

declare global {
  interface Window {
    __timelinePerf?: TimelinePerf;
  }
}

function stats(xs: number[]) {
  const s = xs.slice().sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { samples: xs.length, meanMs: round(mean), p95Ms: round(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0), maxMs: round(s[s.length - 1] ?? 0) };
}

function parseSpec(spec: string): { jobs: number; days: number } {
  const m = /^(\d+)x(\d+)d?$/.exec(spec);
  if (!m) return { jobs: 200, days: 7 };
  return { jobs: Math.min(1000, Math.max(1, Number(m[1]))), days: Math.min(31, Math.max(1, Number(m[2]))) };
}

/**
 * ?synthetic=200x7 on the timeline: N jobs × D days of minute slots generated in the browser, then a
 * measured first draw, 40 full redraws at different scroll positions, and 100 live updates (apply one
 * slot change + redraw). Results land in window.__timelinePerf and in the page for Playwright to read.
 */
export function SyntheticBench({
  spec,
  zone,
  height,
  view,
  onViewChange,
  onSlotClick,
}: {
  spec: string;
  zone: string;
  height: number;
  view: { start: number; end: number };
  onViewChange: (v: { start: number; end: number }) => void;
  onSlotClick: (row: Row, i: number) => void;
}) {
  const { jobs, days } = parseSpec(spec);
  const built = useMemo(() => {
    const t0 = performance.now();
    const data = syntheticRows(jobs, days, Date.now());
    return { ...data, buildMs: performance.now() - t0 };
  }, [jobs, days]);
  const handle = useRef<TimelineHandle>(null);
  const [version, setVersion] = useState(0);
  const [perf, setPerf] = useState<TimelinePerf | null>(null);

  useEffect(() => {
    let cancelled = false;
    // Let layout settle (width, fonts) before measuring.
    const t = setTimeout(() => {
      const h = handle.current;
      if (!h || cancelled) return;
      const firstRenderMs = h.drawNow();
      const renders: number[] = [];
      const maxScroll = Math.max(0, built.rows.length * ROW_H - height);
      for (let k = 0; k < 40; k++) {
        h.setScrollTop(Math.round((k / 39) * maxScroll));
        renders.push(h.drawNow());
      }
      h.setScrollTop(0);
      const updates: number[] = [];
      const visible = Math.max(1, Math.min(built.rows.length, Math.floor(height / ROW_H)));
      for (let k = 0; k < 100; k++) {
        const t0 = performance.now();
        const row = built.rows[(k * 7) % visible];
        // A run event: the newest slot finishes, or a new one starts.
        const now = Date.now();
        if (k % 2 === 0) upsertSlot(row, { start: now - 1_000 + k, end: Number.NaN, status: CODE.running, progress: 0.3, id: `live-${k}` });
        else upsertSlot(row, { start: now - 1_000 + k - 1, end: now, status: k % 10 === 1 ? CODE.failed : CODE.succeeded, id: `live-${k - 1}` });
        h.drawNow();
        updates.push(performance.now() - t0);
      }
      const result: TimelinePerf = {
        jobs,
        days,
        slots: built.slots,
        buildMs: Math.round(built.buildMs * 100) / 100,
        firstRenderMs: Math.round(firstRenderMs * 100) / 100,
        render: stats(renders),
        update: stats(updates),
      };
      window.__timelinePerf = result;
      setPerf(result);
      setVersion((v) => v + 1);
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [built, height, jobs, days]);

  return (
    <>
      <p className="small muted" style={{ margin: '0 0 8px' }}>
        Synthetic data: {jobs} jobs × {days} days of minute slots ({built.slots.toLocaleString('en')} slots), generated in {built.buildMs.toFixed(0)} ms.
      </p>
      <TimelineCanvas handleRef={handle} rows={built.rows} version={version} view={view} onViewChange={onViewChange} onSlotClick={onSlotClick} zone={zone} height={height - 60} />
      <pre className="small" data-testid="timeline-perf" data-ready={perf ? 'true' : 'false'} style={{ minHeight: 20, margin: '8px 0 0' }}>
        {perf
          ? `first draw ${perf.firstRenderMs} ms · redraw mean ${perf.render.meanMs} / p95 ${perf.render.p95Ms} / max ${perf.render.maxMs} ms · live update (apply + redraw) mean ${perf.update.meanMs} / p95 ${perf.update.p95Ms} / max ${perf.update.maxMs} ms`
          : 'Measuring…'}
      </pre>
    </>
  );
}
