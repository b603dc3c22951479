'use client';
import { ErrorState, Loading } from '@/components/states';
import { useBaseline } from '@/lib/api/alerting/alerting';
import { formatElapsed } from '@/lib/time/format';

const W = 420;
const H = 120;

/**
 * The job's duration baseline (issue 14): its recent succeeded runs as bars, p50 and p95 as lines, and
 * the limits they give (long_running past, too_fast under). Until enough runs exist it says how many.
 */
export function BaselineChart({ jobKey }: { jobKey: string }) {
  const q = useBaseline(jobKey);
  if (q.isError) return <ErrorState error={q.error} retry={() => void q.refetch()} />;
  // Pending, not loading: a job mutation cancels queries under `jobs` (this one too), which leaves it
  // without data and not fetching until it is refetched.
  if (q.isPending) return <Loading rows={2} label="Loading the baseline" />;
  const b = q.data;
  const samples = b.samples;
  const max = Math.max(1, ...samples.map((s) => s.durationMs), b.baseline?.p95Ms ?? 0, b.baseline?.longRunningAfterMs ?? 0);
  const y = (ms: number) => H - 4 - (ms / max) * (H - 12);
  const barW = samples.length ? Math.max(2, Math.floor(W / samples.length) - 2) : 0;
  return (
    <div data-testid="baseline">
      {b.baseline ? (
        <p className="small">
          p50 <strong>{formatElapsed(b.baseline.p50Ms)}</strong> · p95 <strong>{formatElapsed(b.baseline.p95Ms)}</strong> over {b.baseline.runs} runs · long running past{' '}
          {formatElapsed(b.baseline.longRunningAfterMs)}
          {b.baseline.tooFastUnderMs !== null && <> · too fast under {formatElapsed(b.baseline.tooFastUnderMs)}</>}
        </p>
      ) : (
        <p className="small muted" data-testid="baseline-pending">
          No baseline yet: {b.pending}.
        </p>
      )}
      {samples.length > 0 && (
        <svg width="100%" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Durations of the last ${samples.length} succeeded runs`}>
          {samples.map((s, i) => (
            <rect key={s.slot} x={i * (barW + 2)} y={y(s.durationMs)} width={barW} height={H - 4 - y(s.durationMs)} fill="#8fb3e8">
              <title>{`${s.slot}: ${formatElapsed(s.durationMs)}`}</title>
            </rect>
          ))}
          {b.baseline && (
            <>
              <line x1={0} x2={W} y1={y(b.baseline.p50Ms)} y2={y(b.baseline.p50Ms)} stroke="#2f5fd0" strokeDasharray="4 3" />
              <line x1={0} x2={W} y1={y(b.baseline.p95Ms)} y2={y(b.baseline.p95Ms)} stroke="#b7791f" strokeDasharray="4 3" />
            </>
          )}
        </svg>
      )}
    </div>
  );
}
