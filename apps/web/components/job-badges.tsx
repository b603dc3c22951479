import type { Job } from '@/lib/api/types';

export function JobBadges({ job }: { job: Pick<Job, 'paused' | 'pauseNote' | 'syncStatus' | 'syncError'> }) {
  return (
    <>
      {job.paused && (
        <span className="pill paused" data-testid="paused-badge" title={job.pauseNote ? `Paused: ${job.pauseNote}` : 'Paused'}>
          Paused
        </span>
      )}
      {job.syncStatus === 'pending' && (
        <span className="pill sync-pending" title="Saved; waiting for Temporal to take the change">
          Syncing
        </span>
      )}
      {job.syncStatus === 'error' && (
        <span className="pill sync-error" title={job.syncError ?? 'Temporal refused the schedule'}>
          Sync error
        </span>
      )}
    </>
  );
}

export function Tags({ tags }: { tags: string[] }) {
  if (!tags.length) return null;
  return (
    <span className="row" style={{ gap: 4 }}>
      {tags.map((t) => (
        <span key={t} className="pill tag">
          {t}
        </span>
      ))}
    </span>
  );
}
