'use client';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { RunDrawer } from '@/components/run-drawer';
import { ErrorState, Loading } from '@/components/states';
import { TimelineCanvas, type TimelineHandle } from '@/components/timeline/timeline-canvas';
import { useAllJobs } from '@/lib/api/jobs/list-all-jobs';
import { useNextRunsOf } from '@/lib/api/jobs/next-runs';
import { useKinds } from '@/lib/api/kinds/list-kinds';
import { useWindowRuns } from '@/lib/api/runs/window-runs';
import type { Job, Run, Slot } from '@/lib/api/types';
import { useFallbackInterval } from '@/lib/live/live-events';
import { VERDICT_COLOR, VERDICT_LABEL, type Verdict } from '@/lib/runs/status';
import { buildRows, runKey } from '@/lib/timeline/build';
import { panBy, windowEndingNow, zoomTo, ZOOMS, type Zoom } from '@/lib/timeline/layout';
import { VERDICTS, type Row } from '@/lib/timeline/model';
import { syntheticRun } from '@/lib/timeline/synthetic';
import { viewerZone } from '@/lib/time/format';
import { SyntheticBench } from './synthetic-bench';

type Window = { start: number; end: number };
const LEGEND: Verdict[] = ['succeeded', 'running', 'failed', 'timed_out', 'cancelled', 'superseded', 'missed', 'skipped', 'planned'];
const PLANNED_JOBS_LIMIT = 100;
const NO_JOBS: Job[] = [];
const NO_KEYS: string[] = [];

function useViewportHeight(offset: number): number {
  const [h, setH] = useState(600);
  useEffect(() => {
    const update = () => setH(Math.max(320, window.innerHeight - offset));
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [offset]);
  return h;
}

export function TimelineView() {
  const params = useSearchParams();
  const synthetic = params.get('synthetic');
  const [zoom, setZoom] = useState<Zoom>(synthetic ? '7d' : '6h');
  const [follow, setFollow] = useState(true);
  const [view, setView] = useState<Window>(() => windowEndingNow(ZOOMS[synthetic ? '7d' : '6h'], Date.now(), 1));
  const [tag, setTag] = useState('');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<{ run: Run; zone: string; synthetic: boolean } | null>(null);
  const zone = useMemo(() => viewerZone(), []);
  const height = useViewportHeight(215);
  const handle = useRef<TimelineHandle>(null);

  // While following, the window slides with the clock.
  useEffect(() => {
    if (!follow || synthetic) return;
    const t = setInterval(() => setView(windowEndingNow(ZOOMS[zoom], Date.now(), 1)), 5_000);
    return () => clearInterval(t);
  }, [follow, zoom, synthetic]);

  const changeZoom = (z: Zoom) => {
    setZoom(z);
    setView((v) => (follow ? windowEndingNow(ZOOMS[z], Date.now(), 1) : zoomTo({ ...v, width: 1 }, ZOOMS[z], 0.5)));
  };
  const pan = (dir: number) => {
    setFollow(false);
    setView((v) => panBy({ ...v, width: 1 }, dir * 0.5));
  };

  const data = useTimelineData(!synthetic, view, zoom);
  const kinds = useKinds();

  const filteredRows = useMemo(() => {
    const rows = synthetic ? [] : data.rows;
    return rows.filter((r) => (!tag || r.tags.includes(tag)) && (!kind || r.kind === kind));
  }, [synthetic, data.rows, tag, kind]);

  const statusRows = useMemo(() => {
    if (!status) return filteredRows;
    return filteredRows.filter((r) => {
      for (let i = 0; i < r.n; i++) if (VERDICTS[r.status[i]] === status) return true;
      return false;
    });
  }, [filteredRows, status]);

  const allTags = useMemo(() => [...new Set(data.rows.flatMap((r) => r.tags))].sort(), [data.rows]);

  const openSlot = (row: Row, i: number) => {
    if (synthetic) {
      setOpen({ run: syntheticRun(row, i), zone, synthetic: true });
      return;
    }
    const id = row.ids[i];
    const run = id ? data.byId.get(id) : undefined;
    if (run) setOpen({ run, zone: data.zoneOf.get(row.key) ?? 'UTC', synthetic: false });
  };
  const current = open && !open.synthetic ? { ...open, run: data.byId.get(runKey(open.run)) ?? open.run } : open;

  return (
    <main className="page" style={{ maxWidth: 'none' }}>
      <div className="page-head">
        <h1>Timeline</h1>
        <div className="seg" role="group" aria-label="Zoom">
          {(Object.keys(ZOOMS) as Zoom[]).map((z) => (
            <button key={z} type="button" className="btn small" aria-pressed={zoom === z} onClick={() => changeZoom(z)}>
              {z}
            </button>
          ))}
        </div>
        <div className="seg" role="group" aria-label="Pan">
          <button type="button" className="btn small" onClick={() => pan(-1)} aria-label="Earlier">
            ←
          </button>
          <button type="button" className="btn small" aria-pressed={follow} onClick={() => { setFollow(true); setView(windowEndingNow(ZOOMS[zoom], Date.now(), 1)); }}>
            Now
          </button>
          <button type="button" className="btn small" onClick={() => pan(1)} aria-label="Later">
            →
          </button>
        </div>
        {!synthetic && (
          <>
            <select aria-label="Tag" value={tag} onChange={(e) => setTag(e.target.value)}>
              <option value="">All tags</option>
              {allTags.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">All kinds</option>
              {kinds.data?.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.title}
                </option>
              ))}
            </select>
            <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">Any status</option>
              {LEGEND.filter((v) => v !== 'planned').map((v) => (
                <option key={v} value={v}>
                  Has {VERDICT_LABEL[v].toLowerCase()}
                </option>
              ))}
            </select>
          </>
        )}
        <span className="spacer" />
        <div className="legend" aria-label="Legend">
          {LEGEND.map((v) => (
            <span key={v} className="verdict" style={{ ['--c' as string]: VERDICT_COLOR[v], fontWeight: 400 }}>
              {VERDICT_LABEL[v]}
            </span>
          ))}
        </div>
      </div>
      {!synthetic && data.truncated && <div className="notice warn">More runs than the timeline loads at once in this window; zoom in for the full picture.</div>}
      {synthetic ? (
        <SyntheticBench spec={synthetic} zone={zone} height={height} view={view} onViewChange={(v) => { setFollow(false); setView(v); }} onSlotClick={openSlot} />
      ) : data.error ? (
        <ErrorState error={data.error} retry={data.retry} />
      ) : data.loading ? (
        <Loading rows={8} label="Loading timeline" />
      ) : (
        <TimelineCanvas
          handleRef={handle}
          rows={statusRows}
          version={data.version}
          view={view}
          onViewChange={(v) => {
            setFollow(false);
            setView(v);
          }}
          onSlotClick={openSlot}
          zone={zone}
          height={height}
        />
      )}
      {!synthetic && data.runsError ? <p className="small muted" role="status">Runs could not be loaded ({data.runsError.message}); showing jobs and planned slots only.</p> : null}
      {current && <RunDrawer run={current.run} zone={current.zone} synthetic={current.synthetic} onClose={() => setOpen(null)} />}
    </main>
  );
}

/** Jobs, the runs in (and a little before) the window, and planned slots, as timeline rows. */
function useTimelineData(enabled: boolean, view: Window, zoom: Zoom) {
  const jobs = useAllJobs();
  const poll = useFallbackInterval(5_000);
  const span = ZOOMS[zoom];
  // A stable, coarse "from" so panning inside the loaded range does not refetch.
  const bucket = span / 2;
  const from = new Date(Math.floor((view.start - span * 0.25) / bucket) * bucket).toISOString();
  const runs = useWindowRuns(from, '', enabled);
  const runsRefetch = runs.refetch;
  useEffect(() => {
    if (!enabled) return;
    const t = setInterval(() => void runsRefetch(), poll);
    return () => clearInterval(t);
  }, [enabled, poll, runsRefetch]);
  const jobList = jobs.data ?? NO_JOBS;
  const wantPlanned = enabled && view.end > Date.now() && jobList.length <= PLANNED_JOBS_LIMIT;
  const active = useMemo(() => jobList.filter((j) => !j.paused), [jobList]);
  const planned = useNextRunsOf(wantPlanned ? active.map((j) => j.key) : NO_KEYS, zoom === '1h' ? 60 : 100);
  const versionRef = useRef(0);
  const result = useMemo(() => {
    const plannedMap: Record<string, Slot[]> = {};
    for (const [key, next] of planned.data ?? []) plannedMap[key] = next.items;
    const items = runs.data?.items ?? [];
    const rows = buildRows(jobList, items, plannedMap);
    const byId = new Map(items.map((r) => [runKey(r), r]));
    const zoneOf = new Map(jobList.map((j) => [j.key, j.schedule.timezone]));
    versionRef.current++;
    return { rows, byId, zoneOf, version: versionRef.current };
  }, [jobList, runs.data, planned.data]);
  return {
    ...result,
    loading: jobs.isLoading,
    error: jobs.error,
    runsError: runs.error,
    truncated: runs.data?.truncated ?? false,
    retry: () => void jobs.refetch(),
  };
}
