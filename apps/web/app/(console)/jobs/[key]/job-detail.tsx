'use client';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { AuditTable } from '@/components/audit-table';
import { BackfillDialog } from '@/components/backfill-dialog';
import { DeleteDialog } from '@/components/delete-dialog';
import { JobBadges, Tags } from '@/components/job-badges';
import { PauseDialog } from '@/components/pause-dialog';
import { RunDrawer } from '@/components/run-drawer';
import { RunNowDialog } from '@/components/run-now-dialog';
import { Empty, ErrorState, Loading } from '@/components/states';
import { VerdictBadge } from '@/components/verdict';
import { useJob } from '@/lib/api/jobs/get-job';
import { useNextRuns } from '@/lib/api/jobs/next-runs';
import { useCan } from '@/lib/api/me/get-me';
import { useRuns } from '@/lib/api/runs/list-runs';
import type { Job, Run } from '@/lib/api/types';
import { useFallbackInterval } from '@/lib/live/live-events';
import { sameSlot, slotKeyOf } from '@/lib/runs/slot-key';
import { scheduleInWords } from '@/lib/schedule/cron-words';
import { slotClock, slotFlag } from '@/lib/schedule/slot-flags';
import { formatElapsed, formatInZone, formatWithZone, viewerZone } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';

type Open = null | 'pause' | 'resume' | 'run' | 'backfill' | 'delete';

export function JobDetail({ jobKey }: { jobKey: string }) {
  const job = useJob(jobKey);
  const can = useCan();
  const [open, setOpen] = useState<Open>(null);
  if (job.isLoading) return <main className="page"><Loading rows={8} label="Loading job" /></main>;
  if (job.isError) {
    return (
      <main className="page">
        <p><Link href="/jobs">← Jobs</Link></p>
        <ErrorState error={job.error} retry={() => void job.refetch()} />
      </main>
    );
  }
  const j = job.data!;
  const configManaged = j.managedBy === 'config';
  return (
    <main className="page">
      <p style={{ margin: '0 0 8px' }} className="small"><Link href="/jobs">← Jobs</Link></p>
      <div className="page-head">
        <h1>{j.name}</h1>
        <JobBadges job={j} />
        <code className="muted">{j.key}</code>
        <span className="spacer" />
        {can.operate && (
          <>
            {j.paused ? (
              <button type="button" className="btn" onClick={() => setOpen('resume')} data-testid="resume-job">Resume…</button>
            ) : (
              <button type="button" className="btn" onClick={() => setOpen('pause')} data-testid="pause-job">Pause…</button>
            )}
            <button type="button" className="btn primary" onClick={() => setOpen('run')} data-testid="run-now">Run now…</button>
            <button type="button" className="btn" onClick={() => setOpen('backfill')} data-testid="backfill">Backfill…</button>
          </>
        )}
        {can.admin && (
          <>
            {configManaged ? (
              <button type="button" className="btn" disabled title="Defined in config/jobs.yaml: edit it there">Edit</button>
            ) : (
              <Link href={`/jobs/${encodeURIComponent(j.key)}/edit`} className="btn" data-testid="edit-job">Edit</Link>
            )}
            <button type="button" className="btn danger" onClick={() => setOpen('delete')} data-testid="delete-job">Delete…</button>
          </>
        )}
      </div>
      {j.paused && <div className="notice warn">Paused{j.pauseNote ? `: ${j.pauseNote}` : ''}. No new slots start until it is resumed.</div>}
      {j.syncStatus === 'error' && <div className="notice error">Temporal refused the schedule: {j.syncError ?? 'unknown error'}</div>}

      <div className="grid-2">
        <div className="stack">
          <SlotHistory job={j} />
          <Definition job={j} />
        </div>
        <div className="stack">
          <NextFireTimes job={j} />
          <section className="panel">
            <h2>Audit trail</h2>
            <AuditTable job={j.key} compact />
          </section>
        </div>
      </div>

      {(open === 'pause' || open === 'resume') && <PauseDialog jobKeys={[j.key]} pause={open === 'pause'} onClose={() => setOpen(null)} />}
      {open === 'run' && <RunNowDialog jobKey={j.key} defaultOverlap={j.schedule.overlapPolicy} onClose={() => setOpen(null)} />}
      {open === 'backfill' && <BackfillDialog job={j} onClose={() => setOpen(null)} />}
      {open === 'delete' && <DeleteDialog jobKey={j.key} onClose={() => setOpen(null)} />}
    </main>
  );
}

function Definition({ job }: { job: Job }) {
  const s = job.schedule;
  return (
    <section className="panel" data-testid="definition">
      <h2>Definition</h2>
      <dl className="kv">
        <dt>Schedule</dt>
        <dd>
          {scheduleInWords(s)}
          <div className="cell-sub"><code>{s.cron ?? `every ${s.interval}`}</code></div>
        </dd>
        <dt>Kind</dt><dd>{job.kind}</dd>
        {job.description && (<><dt>Description</dt><dd>{job.description}</dd></>)}
        <dt>Clock changes</dt>
        <dd data-testid="dst-policy">{s.cron ? `repeated time: ${s.repeatedWallTime} · missing time: ${s.missingWallTime}` : 'none: an interval runs in absolute time'}</dd>
        <dt>Overlap</dt><dd>{s.overlapPolicy}</dd>
        <dt>Catch-up window</dt><dd>{s.catchupWindow}</dd>
        <dt>Jitter</dt><dd>{s.jitter}</dd>
        <dt>Retry</dt>
        <dd>
          up to {job.retry.maxAttempts} attempts, {job.retry.initialInterval} → {job.retry.maxInterval} (×{job.retry.backoffCoefficient})
          {job.retry.nonRetryableErrorTypes.length > 0 && <div className="cell-sub">never retried: {job.retry.nonRetryableErrorTypes.join(', ')}</div>}
        </dd>
        <dt>Timeouts</dt><dd>run {job.timeouts.run} · attempt {job.timeouts.startToClose} · heartbeat {job.timeouts.heartbeat}</dd>
        <dt>Lock</dt><dd>{job.lock.required ? `required, lease ${job.lock.ttl}` : 'not required'}</dd>
        <dt>Expected max</dt><dd>{job.expectedMaxDuration ?? '—'}</dd>
        <dt>Grace period</dt><dd>{job.gracePeriod}</dd>
        <dt>Tags</dt><dd>{job.tags.length ? <Tags tags={job.tags} /> : '—'}</dd>
        <dt>Owner</dt><dd>{job.owner || '—'}</dd>
        <dt>Managed by</dt><dd>{job.managedBy === 'config' ? 'config/jobs.yaml' : 'console'} · version {job.version}</dd>
        <dt>Updated</dt><dd>{formatWithZone(job.updatedAt, viewerZone())} by {job.updatedBy}</dd>
      </dl>
      <h3>Params</h3>
      <pre className="stack">{JSON.stringify(job.params, null, 2)}</pre>
    </section>
  );
}

function NextFireTimes({ job }: { job: Job }) {
  const next = useNextRuns(job.key, 10, !job.paused);
  const zone = job.schedule.timezone;
  const mine = useViewerZone();
  return (
    <section className="panel" data-testid="next-fire-times">
      <h2>Next 10 slots</h2>
      {job.paused ? (
        <Empty>Paused: nothing fires until it is resumed.</Empty>
      ) : next.isLoading ? (
        <Loading rows={5} />
      ) : next.isError ? (
        <ErrorState error={next.error} retry={() => void next.refetch()} />
      ) : !next.data?.items.length ? (
        <Empty>No upcoming fire times.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{zone}</th>
              {mine !== zone && <th>{mine}</th>}
              <th>DST</th>
            </tr>
          </thead>
          <tbody>
            {next.data.items.map((f) => {
              const flag = slotFlag(f);
              return (
                <tr key={`${f.utc}-${f.missingWall ?? f.ambiguous ?? ''}`} data-status={f.status} className={f.status === 'skipped' ? 'muted' : undefined}>
                  <td className="nowrap" style={f.status === 'skipped' ? { textDecoration: 'line-through' } : undefined}>
                    {slotClock(f, formatInZone(f.utc, zone))}
                  </td>
                  {mine !== zone && <td className="nowrap muted">{formatInZone(f.utc, mine)}</td>}
                  <td>
                    {flag && (
                      <span className="dst" title={f.note}>
                        {flag}
                      </span>
                    )}
                    {f.note && <div className="cell-sub">{f.note}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {next.data && (
        <p className="small muted" style={{ marginBottom: 0 }}>
          Temporal&apos;s matcher with this job&apos;s DST policy ({next.data.timeBasis === 'absolute' ? 'an interval: absolute time, clock changes do not apply' : `repeated time: ${job.schedule.repeatedWallTime}, missing time: ${job.schedule.missingWallTime}`});{' '}
          {next.data.source === 'schedule' ? 'the live schedules are in step' : 'the schedules are not in step yet'}.
        </p>
      )}
    </section>
  );
}

function SlotHistory({ job }: { job: Job }) {
  const poll = useFallbackInterval(5_000);
  // Fast while a run is going (its bar grows), otherwise the live stream plus a slow safety net.
  const runs = useRuns({ job: job.key, limit: 25 }, (data) => (data?.pages.some((p) => p.items.some((r) => r.status === 'running')) ? 5_000 : poll));
  const params = useSearchParams();
  const focusSlot = params.get('slot');
  const [openRun, setOpenRun] = useState<Run | null>(null);
  const items = useMemo(() => runs.data?.pages.flatMap((p) => p.items) ?? [], [runs.data]);
  const zone = job.schedule.timezone;
  const current = openRun ? (items.find((r) => sameSlot(r, openRun)) ?? openRun) : null;
  return (
    <section className="panel" data-testid="slot-history">
      <div className="row" style={{ marginBottom: 8 }}>
        <h2 style={{ margin: 0 }}>Slot history</h2>
        <span className="muted small">times in {zone}</span>
      </div>
      {runs.isLoading ? (
        <Loading rows={5} label="Loading runs" />
      ) : runs.isError ? (
        <ErrorState error={runs.error} retry={() => void runs.refetch()} />
      ) : !items.length ? (
        <Empty>No runs yet.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Slot</th>
              <th>Verdict</th>
              <th>Duration</th>
              <th>Attempt</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((r) => {
              const start = r.startTime ? Date.parse(r.startTime) : Number.NaN;
              const end = r.closeTime ? Date.parse(r.closeTime) : Date.now();
              const focused = focusSlot && r.slot && Date.parse(r.slot) === Date.parse(focusSlot);
              return (
                <tr key={slotKeyOf(r)} data-testid="slot-row" data-status={r.status} style={focused ? { outline: '2px solid var(--accent)' } : undefined}>
                  <td className="nowrap">{formatInZone(r.slot ?? r.startTime ?? '', zone, { seconds: true })}</td>
                  <td><VerdictBadge status={r.status} />{r.errorType && <div className="cell-sub">{r.errorType}</div>}</td>
                  <td className="nowrap">{Number.isFinite(start) ? formatElapsed(end - start) : '—'}</td>
                  <td>{r.attempt}</td>
                  <td style={{ textAlign: 'right' }}>
                    <button type="button" className="btn small" onClick={() => setOpenRun(r)}>Details</button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {runs.hasNextPage && (
        <div style={{ marginTop: 10, textAlign: 'center' }}>
          <button type="button" className="btn small" onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>Older runs</button>
        </div>
      )}
      {current && <RunDrawer run={current} zone={zone} onClose={() => setOpenRun(null)} />}
    </section>
  );
}
