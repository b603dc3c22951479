'use client';
import type { NextRunsResponse } from '@timekeeper/contracts';
import { formatInZone, formatRelative, viewerZone } from '@/lib/time/format';

/**
 * The next fire time in the job's zone and, when different, the viewer's. `data` holds a few next
 * slots (the first may be one the DST policy skips), fetched for the whole list at once.
 */
export function NextRun({ data, isError, zone, paused }: { data: NextRunsResponse | undefined; isError: boolean; zone: string; paused: boolean }) {
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
