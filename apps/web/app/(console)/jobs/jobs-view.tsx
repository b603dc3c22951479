'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { JobBadges, Tags } from '@/components/job-badges';
import { NextRun } from '@/components/next-run';
import { PauseDialog } from '@/components/pause-dialog';
import { PauseUntilDialog } from '@/components/pause-until-dialog';
import { SlotStrip } from '@/components/slot-strip';
import { Empty, ErrorState, Loading } from '@/components/states';
import { oneOffWindowFor } from '@/lib/alerts/windows';
import { useWindows } from '@/lib/api/alerting/alerting';
import { useJobs, type JobFilters, type JobSort } from '@/lib/api/jobs/list-jobs';
import { useNextRunsOf } from '@/lib/api/jobs/next-runs';
import { useKinds } from '@/lib/api/kinds/list-kinds';
import { useCan } from '@/lib/api/me/get-me';
import { scheduleInWords } from '@/lib/schedule/cron-words';
import { formatInZone } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';
import { useDebounced } from '@/lib/use-debounced';

const SORTS: { value: JobSort; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: 'key', label: 'Key A–Z' },
  { value: '-updatedAt', label: 'Recently changed' },
  { value: 'updatedAt', label: 'Least recently changed' },
];

export function JobsView() {
  const can = useCan();
  const kinds = useKinds();
  const [text, setText] = useState('');
  const [kind, setKind] = useState('');
  const [tag, setTag] = useState('');
  const [paused, setPaused] = useState<'' | 'true' | 'false'>('');
  const [sort, setSort] = useState<JobSort>('name');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<null | boolean>(null);
  const [pauseUntil, setPauseUntil] = useState<string | null>(null);
  const windows = useWindows();
  const zone = useViewerZone();
  const debouncedText = useDebounced(text.trim(), 250);
  const debouncedTag = useDebounced(tag.trim(), 250);
  const filters: JobFilters = {
    text: debouncedText || undefined,
    kind: kind || undefined,
    tag: debouncedTag || undefined,
    paused: paused === '' ? undefined : paused === 'true',
    sort,
    limit: 50,
  };
  const jobs = useJobs(filters);
  const items = useMemo(() => jobs.data?.pages.flatMap((p) => p.items) ?? [], [jobs.data]);
  // A few per job, as the first may be a slot the DST policy skips; one request for the whole list.
  const nextRuns = useNextRunsOf(items.filter((j) => !j.paused).map((j) => j.key), 3);
  const allTags = useMemo(() => [...new Set(items.flatMap((j) => j.tags))].sort(), [items]);
  const visibleSelected = items.filter((j) => selected.has(j.key)).map((j) => j.key);
  const toggle = (key: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const allChecked = items.length > 0 && visibleSelected.length === items.length;

  return (
    <main className="page">
      <div className="page-head">
        <h1>Jobs</h1>
        <span className="spacer" />
        {can.operate && (
          <span className="row" aria-live="polite">
            {visibleSelected.length > 0 && <span className="muted small">{visibleSelected.length} selected</span>}
            <button type="button" className="btn" disabled={!visibleSelected.length} onClick={() => setBulk(true)} data-testid="bulk-pause">
              Pause…
            </button>
            <button type="button" className="btn" disabled={!visibleSelected.length} onClick={() => setBulk(false)} data-testid="bulk-resume">
              Resume…
            </button>
          </span>
        )}
        {can.admin && (
          <Link href="/jobs/new" className="btn primary" data-testid="new-job">
            New job
          </Link>
        )}
      </div>

      <div className="row" style={{ marginBottom: 12 }} role="search">
        <input type="search" placeholder="Search name, key, description" aria-label="Search jobs" value={text} onChange={(e) => setText(e.target.value)} style={{ width: 280 }} />
        <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">All kinds</option>
          {kinds.data?.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.title}
            </option>
          ))}
        </select>
        <input type="text" list="job-tags" placeholder="Tag" aria-label="Tag" value={tag} onChange={(e) => setTag(e.target.value)} style={{ width: 140 }} />
        <datalist id="job-tags">
          {allTags.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <select aria-label="State" value={paused} onChange={(e) => setPaused(e.target.value as '' | 'true' | 'false')}>
          <option value="">Active and paused</option>
          <option value="false">Active only</option>
          <option value="true">Paused only</option>
        </select>
        <select aria-label="Sort" value={sort} onChange={(e) => setSort(e.target.value as JobSort)}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        {jobs.isFetching && !jobs.isLoading && <span className="muted small">Updating…</span>}
      </div>

      <div className="table-wrap">
        {jobs.isLoading ? (
          <Loading rows={6} label="Loading jobs" />
        ) : jobs.isError ? (
          <ErrorState error={jobs.error} retry={() => void jobs.refetch()} />
        ) : items.length === 0 ? (
          <Empty>
            {filters.text || filters.kind || filters.tag || filters.paused !== undefined ? 'No job matches these filters.' : 'No jobs yet.'}{' '}
            {can.admin && !filters.text && <Link href="/jobs/new">Create the first one</Link>}
          </Empty>
        ) : (
          <table className="table" data-testid="jobs-table">
            <thead>
              <tr>
                {can.operate && (
                  <th style={{ width: 32 }}>
                    <input
                      type="checkbox"
                      aria-label="Select all jobs"
                      checked={allChecked}
                      onChange={() => setSelected(allChecked ? new Set() : new Set(items.map((j) => j.key)))}
                    />
                  </th>
                )}
                <th>Job</th>
                <th>Schedule</th>
                <th>Next run</th>
                <th>Last 20 slots</th>
                <th>Tags</th>
                {can.operate && <th />}
              </tr>
            </thead>
            <tbody>
              {items.map((job) => {
                const inWindow = oneOffWindowFor(job, windows.data?.items ?? []);
                return (
                  <tr key={job.key} data-testid={`job-row-${job.key}`}>
                    {can.operate && (
                      <td>
                        <input type="checkbox" aria-label={`Select ${job.key}`} checked={selected.has(job.key)} onChange={() => toggle(job.key)} />
                      </td>
                    )}
                    <td style={{ minWidth: 220 }}>
                      <div className="row" style={{ gap: 6 }}>
                        <Link href={`/jobs/${encodeURIComponent(job.key)}`} style={{ fontWeight: 600 }}>
                          {job.name}
                        </Link>
                        <JobBadges job={job} />
                        {inWindow && (
                          <span className="pill paused" data-testid="maintenance-badge" title={`${inWindow.name}: ${inWindow.reason}`}>
                            Maintenance until {formatInZone(inWindow.to!, zone)}
                          </span>
                        )}
                      </div>
                      <div className="cell-sub">
                        <code>{job.key}</code> · {kinds.data?.find((k) => k.kind === job.kind)?.title ?? job.kind}
                      </div>
                    </td>
                    <td style={{ minWidth: 220 }}>
                      <div>{scheduleInWords(job.schedule)}</div>
                      <div className="cell-sub">
                        <code>{job.schedule.cron ?? `every ${job.schedule.interval}`}</code>
                      </div>
                    </td>
                    <td style={{ width: 250 }}>
                      <NextRun data={nextRuns.data?.get(job.key)} isError={nextRuns.isError} zone={job.schedule.timezone} paused={job.paused} />
                    </td>
                    <td style={{ width: 230 }}>
                      <SlotStrip jobKey={job.key} zone={job.schedule.timezone} />
                    </td>
                    <td>
                      <Tags tags={job.tags} />
                    </td>
                    {can.operate && (
                      <td style={{ textAlign: 'right' }}>
                        <button type="button" className="btn small" data-testid="pause-until" onClick={() => setPauseUntil(job.key)}>
                          Pause until…
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      {jobs.hasNextPage && (
        <div style={{ marginTop: 12, textAlign: 'center' }}>
          <button type="button" className="btn" onClick={() => void jobs.fetchNextPage()} disabled={jobs.isFetchingNextPage}>
            {jobs.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      {pauseUntil !== null && <PauseUntilDialog jobKey={pauseUntil} onClose={() => setPauseUntil(null)} />}
      {bulk !== null && (
        <PauseDialog
          jobKeys={visibleSelected}
          pause={bulk}
          onClose={() => setBulk(null)}
          onDone={() => setSelected(new Set())}
        />
      )}
    </main>
  );
}
