'use client';
import { useRecentRuns } from '@/lib/api/runs/recent-runs';
import { VERDICT_COLOR, VERDICT_LABEL, verdictOf } from '@/lib/runs/status';
import { formatWithZone } from '@/lib/time/format';

/** The last 20 slots, oldest on the left; fixed width so live updates never move the table. */
export function SlotStrip({ jobKey, zone }: { jobKey: string; zone: string }) {
  const { data, isError } = useRecentRuns(jobKey, 20);
  const runs = (data ?? []).slice().reverse();
  const cells = Array.from({ length: 20 }, (_, i) => runs[i - (20 - runs.length)]);
  const last = data?.[0];
  return (
    <div>
      <div className="strip" role="img" aria-label={isError ? 'Slot history unavailable' : `Last ${runs.length} slots`} data-testid="slot-strip">
        {cells.map((r, i) =>
          r ? (
            <span
              key={i}
              style={{ background: VERDICT_COLOR[verdictOf(r.status)] }}
              title={`${VERDICT_LABEL[verdictOf(r.status)]} · ${formatWithZone(r.slot ?? r.startTime ?? '', zone)}`}
            />
          ) : (
            <span key={i} />
          ),
        )}
      </div>
      <div className="cell-sub" data-testid="last-verdict">
        {last ? `Last: ${VERDICT_LABEL[verdictOf(last.status)]}` : isError ? 'History unavailable' : data ? 'No runs yet' : '\u00a0'}
      </div>
    </div>
  );
}
