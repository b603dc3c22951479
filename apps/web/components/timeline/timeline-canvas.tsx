'use client';
import Link from 'next/link';
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { VERDICT_LABEL } from '@/lib/runs/status';
import { hitSlot, panBy, slotEnd, visibleRows, type View } from '@/lib/timeline/layout';
import { CODE, VERDICTS, type Row } from '@/lib/timeline/model';
import { formatInZone, formatElapsed, zoneOffsetMs } from '@/lib/time/format';
import { AXIS_H, drawTimeline, ROW_H } from './draw';

export type TimelineHandle = {
  /** Draws synchronously and returns the time it took (ms). */
  drawNow: () => number;
  setScrollTop: (y: number) => void;
  /** Client coordinates of a row's latest non-planned slot, for tests and keyboard users. */
  pointOf: (rowIndex: number, slotIndex: number) => { x: number; y: number } | null;
};

type Tip = { x: number; y: number; text: string[] };

const LABEL_W = 230;

function lastRealSlot(row: Row): number {
  for (let i = row.n - 1; i >= 0; i--) if (row.status[i] !== CODE.planned) return i;
  return -1;
}

export function TimelineCanvas({
  rows,
  version,
  view,
  onViewChange,
  onSlotClick,
  zone,
  height,
  handleRef,
  nowOverride,
}: {
  rows: Row[];
  version: number;
  view: Omit<View, 'width'>;
  onViewChange: (v: Omit<View, 'width'>) => void;
  onSlotClick: (row: Row, slot: number) => void;
  zone: string;
  height: number;
  handleRef?: Ref<TimelineHandle>;
  nowOverride?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [scrollTop, setScrollTop] = useState(0);
  const [tip, setTip] = useState<Tip | null>(null);
  const frame = useRef(0);
  const state = useRef({ rows, view: { ...view, width }, scrollTop, zone, nowOverride });
  state.current = { rows, view: { ...view, width }, scrollTop, zone, nowOverride };
  const drag = useRef<{ x: number; moved: boolean } | null>(null);

  const now = () => state.current.nowOverride ?? Date.now();

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas) return 0;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const s = state.current;
    const w = s.view.width;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext('2d', { alpha: true });
    if (!ctx) return 0;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawTimeline(ctx, { rows: s.rows, view: s.view, height, scrollTop: s.scrollTop, now: now(), zone: s.zone, zoneOffset: zoneOffsetMs(s.zone, s.view.start) });
    return performance.now() - t0;
  }, [height]);

  const schedule = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      draw();
    });
  }, [draw]);

  useImperativeHandle(
    handleRef,
    () => ({
      drawNow: draw,
      setScrollTop: (y: number) => {
        if (scrollRef.current) scrollRef.current.scrollTop = y;
        state.current.scrollTop = y;
        setScrollTop(y);
      },
      pointOf: (r: number, i: number) => {
        const canvas = canvasRef.current;
        const row = state.current.rows[r];
        if (!canvas || !row || i < 0 || i >= row.n) return null;
        const rect = canvas.getBoundingClientRect();
        const v = state.current.view;
        const s = row.starts[i];
        const e = Math.max(slotEnd(row, i, now()), s);
        const mid = Math.min(Math.max((s + e) / 2, v.start), v.end);
        const x = ((mid - v.start) / (v.end - v.start)) * v.width;
        return { x: rect.left + x, y: rect.top + AXIS_H + r * ROW_H - state.current.scrollTop + ROW_H / 2 };
      },
    }),
    [draw],
  );

  // Width follows the container.
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(200, Math.floor(entry.contentRect.width))));
    ro.observe(el);
    setWidth(Math.max(200, Math.floor(el.getBoundingClientRect().width)));
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    schedule();
  }, [schedule, version, view.start, view.end, width, scrollTop, zone, rows]);

  // Running bars grow and the now line moves: a cheap redraw once a second.
  useEffect(() => {
    const t = setInterval(schedule, 1_000);
    return () => clearInterval(t);
  }, [schedule]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const locate = (clientX: number, clientY: number) => {
    const canvas = canvasRef.current;
    if (!canvas) return null;
    const rect = canvas.getBoundingClientRect();
    const x = clientX - rect.left;
    const y = clientY - rect.top - AXIS_H;
    if (y < 0) return null;
    const r = Math.floor((y + state.current.scrollTop) / ROW_H);
    const row = state.current.rows[r];
    if (!row) return null;
    const i = hitSlot(row, state.current.view, x, now());
    return i < 0 ? null : { row, r, i };
  };

  const describe = (row: Row, i: number): string[] => {
    const v = VERDICTS[row.status[i]];
    const s = row.starts[i];
    const e = row.ends[i];
    const lines = [`${row.label} · ${VERDICT_LABEL[v]}`, `${formatInZone(s, zone, { seconds: true })} ${zone}`];
    if (Number.isFinite(e) && e > s) lines.push(`took ${formatElapsed(e - s)}`);
    else if (v === 'running') {
      const eta = row.etas[i];
      const done = Number.isFinite(row.progress[i]) ? ` · ${Math.round(row.progress[i] * 100)}%` : '';
      const left = Number.isFinite(eta) ? ` · ETA ${formatInZone(eta, zone, { seconds: true, date: false })} (${eta > now() ? `${formatElapsed(eta - now())} left` : 'any moment'})` : '';
      lines.push(`running for ${formatElapsed(now() - s)}${done}${left}`);
    }
    const reason = row.reasons.get(i);
    if (reason) lines.push(reason);
    return lines;
  };

  const [first, last] = visibleRows(scrollTop, height - AXIS_H, ROW_H, rows.length, 4);
  const total = AXIS_H + rows.length * ROW_H;

  return (
    <div
      ref={scrollRef}
      className="timeline-scroll"
      style={{ height, border: '1px solid var(--line)', borderRadius: 6, background: 'var(--panel)' }}
      onScroll={(e) => {
        const y = e.currentTarget.scrollTop;
        state.current.scrollTop = y;
        setScrollTop(y);
        draw();
      }}
    >
      <div style={{ position: 'relative', height: Math.max(total, height), display: 'grid', gridTemplateColumns: `${LABEL_W}px 1fr` }}>
        <div style={{ position: 'relative', borderRight: '1px solid var(--line)' }} data-testid="timeline-labels">
          <div style={{ position: 'sticky', top: 0, height: AXIS_H, zIndex: 2, background: '#fafbfc', borderBottom: '1px solid var(--line)', fontSize: 12, color: 'var(--muted)', padding: '0 10px', display: 'flex', alignItems: 'center' }}>
            {rows.length} job{rows.length === 1 ? '' : 's'} · {zone}
          </div>
          {rows.slice(first, last).map((row, k) => {
            const r = first + k;
            const li = lastRealSlot(row);
            const lastVerdict = li >= 0 ? VERDICTS[row.status[li]] : 'none';
            return (
              <div
                key={row.key}
                className="timeline-label"
                style={{ top: AXIS_H + r * ROW_H, height: ROW_H }}
                data-testid={`timeline-row-${row.key}`}
                data-last-status={lastVerdict}
                data-slots={row.n}
              >
                <Link href={`/jobs/${encodeURIComponent(row.key)}`} title={row.key}>
                  {row.label}
                </Link>
                {row.paused && <span className="pill paused">Paused</span>}
                <span style={{ flex: 1 }} />
                {li >= 0 && (
                  <button type="button" className="btn ghost small" style={{ height: 20, padding: '0 4px' }} aria-label={`Latest run of ${row.key}: ${lastVerdict}`} title="Latest run" onClick={() => onSlotClick(row, li)} data-testid="latest-run">
                    ▸
                  </button>
                )}
              </div>
            );
          })}
        </div>
        <div ref={wrapRef} style={{ minWidth: 0 }}>
          <canvas
            ref={canvasRef}
            tabIndex={0}
            role="img"
            aria-label={`Run timeline for ${rows.length} jobs. Arrow keys pan; use the row buttons to open a run.`}
            className="timeline-canvas"
            style={{ position: 'sticky', top: 0, display: 'block', cursor: drag.current ? 'grabbing' : 'crosshair', width, height }}
            onPointerDown={(e) => {
              drag.current = { x: e.clientX, moved: false };
              e.currentTarget.setPointerCapture(e.pointerId);
            }}
            onPointerMove={(e) => {
              if (drag.current && e.buttons === 1) {
                const dx = e.clientX - drag.current.x;
                if (Math.abs(dx) > 3 || drag.current.moved) {
                  drag.current = { x: e.clientX, moved: true };
                  onViewChange(panBy({ ...view, width }, -dx));
                  setTip(null);
                }
                return;
              }
              const hit = locate(e.clientX, e.clientY);
              setTip(hit ? { x: e.clientX + 12, y: e.clientY + 12, text: describe(hit.row, hit.i) } : null);
            }}
            onPointerUp={(e) => {
              const moved = drag.current?.moved;
              drag.current = null;
              if (moved) return;
              const hit = locate(e.clientX, e.clientY);
              if (hit && hit.row.status[hit.i] !== CODE.planned) onSlotClick(hit.row, hit.i);
            }}
            onPointerLeave={() => setTip(null)}
            onWheel={(e) => {
              if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) onViewChange(panBy({ ...view, width }, e.deltaX));
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                e.preventDefault();
                onViewChange(panBy({ ...view, width }, (e.key === 'ArrowLeft' ? -1 : 1) * width * 0.2));
              }
            }}
          />
        </div>
      </div>
      {tip && (
        <div className="timeline-tip" style={{ left: tip.x, top: tip.y }} role="tooltip">
          {tip.text.map((l, i) => (
            <div key={i} style={i === 0 ? { fontWeight: 600 } : undefined}>
              {l}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
