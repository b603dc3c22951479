'use client';
import { useNextRuns } from '@/lib/api/jobs/next-runs';
import { formatInZone, formatRelative, viewerZone } from '@/lib/time/format';

/** The next fire time in the job's zone and, when different, the viewer's. */
export function NextRun({ jobKey, zone, paused }: { jobKey: string; zone: string; paused: boolean }) {
  // A few, as the first may be a slot the DST policy skips.
  const { data, isError } = useNextRuns(jobKey, 3, !paused);
  if (paused) return <span className="muted">Paused</span>;
  const next = data?.items.find((s) => s.status === 'fires');
  if (isError) return <span className="muted">Unknown</span>;
  if (!next) return <span className="muted">{data ? 'None' : '\u00a0'}</span>;
  const mine = viewerZone();
  return (
    <div className="nowrap" data-testid="next-run">
      <div>
        {formatInZone(next.utc, zone)} <span className="muted small">{zone}</span>
      </div>
      <div className="cell-sub">
        {mine !== zone ? (
          <>
            {formatInZone(next.utc, mine)} {mine} ·{' '}
          </>
        ) : null}
        {formatRelative(next.utc)}
      </div>
    </div>
  );
}
