'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useCan } from '@/lib/api/me/get-me';
import { useCancelRun } from '@/lib/api/runs/cancel-run';
import { useRetryRun } from '@/lib/api/runs/retry-run';
import type { Run } from '@/lib/api/types';
import { formatDone, formatRate, formatRemaining, progressView, type ProgressView } from '@/lib/runs/progress';
import { canCancel, canRetry, verdictOf } from '@/lib/runs/status';
import { isSupersededRefusal } from '@/lib/runs/superseded';
import { formatElapsed, formatInZone, formatWithZone, viewerZone } from '@/lib/time/format';
import { temporalRunUrl, useClientConfig } from './config-context';
import { Dialog } from './dialog';
import { SupersededConfirm } from './superseded-confirm';
import { useToast } from './toasts';
import { VerdictBadge } from './verdict';

/** Everything about one run, with Retry and Cancel; opened from the timeline and the slot history. */
export function RunDrawer({ run, zone, onClose, synthetic = false }: { run: Run; zone?: string; onClose: () => void; synthetic?: boolean }) {
  const can = useCan();
  const cfg = useClientConfig();
  const toast = useToast();
  const retry = useRetryRun();
  const cancel = useCancelRun();
  const [retried, setRetried] = useState<string | null>(null);
  // The API's explanation when the slot is superseded; shown as a confirm step.
  const [superseded, setSuperseded] = useState<string | null>(null);
  const mine = viewerZone();
  const jobZone = zone ?? 'UTC';
  const progress = progressView(run.progress);
  const running = run.status === 'running';
  // The duration and ETA count on between live events.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [running]);
  const start = run.startTime ? Date.parse(run.startTime) : Number.NaN;
  const end = run.closeTime ? Date.parse(run.closeTime) : running ? now : Number.NaN;
  const workflowId = synthetic ? null : run.workflowId;
  const times = (iso: string | null) =>
    iso ? (
      <>
        {formatWithZone(iso, jobZone, { seconds: true })}
        {mine !== jobZone && <div className="cell-sub">{formatWithZone(iso, mine, { seconds: true })}</div>}
      </>
    ) : (
      '—'
    );
  const doRetry = (id: string, confirmSuperseded?: true) =>
    retry.mutate(
      { workflowId: id, confirmSuperseded },
      {
        onSuccess: (r) => {
          setSuperseded(null);
          setRetried(r.workflowId);
          toast(r.supersededBy ? `Retry started for ${r.jobKey}; it will end as superseded by ${r.supersededBy}` : `Retry started for ${r.jobKey}`);
        },
        onError: (e) => (isSupersededRefusal(e) ? setSuperseded(e.message) : toast(`Retry failed: ${e.message}`, 'error')),
      },
    );
  const doCancel = (id: string) =>
    cancel.mutate(id, {
      onSuccess: () => toast('Cancellation requested'),
      onError: (e) => toast(`Cancel failed: ${e.message}`, 'error'),
    });
  return (
    <Dialog variant="drawer" title={<span className="row">Run of {run.jobKey}</span>} onClose={onClose} labelledBy="run-drawer-title">
      <div className="row" style={{ marginBottom: 12 }} data-testid="run-drawer">
        <VerdictBadge status={run.status} />
        <span className="spacer" style={{ flex: 1 }} />
        {can.operate && workflowId && canRetry(run.status) && (
          <button type="button" className="btn primary small" onClick={() => doRetry(workflowId)} disabled={retry.isPending || retried !== null || superseded !== null} data-testid="retry-run">
            {retry.isPending ? 'Retrying…' : retried ? 'Retry started' : 'Retry'}
          </button>
        )}
        {can.operate && workflowId && canCancel(run.status) && (
          <button type="button" className="btn danger small" onClick={() => doCancel(workflowId)} disabled={cancel.isPending} data-testid="cancel-run">
            {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {superseded && workflowId && (
        <SupersededConfirm message={superseded} confirmLabel="Retry anyway" pending={retry.isPending} onConfirm={() => doRetry(workflowId, true)} onCancel={() => setSuperseded(null)} />
      )}
      {retried && (
        <div className="notice">
          New run <code>{retried}</code> started for the same slot.
        </div>
      )}
      {progress && <ProgressBlock progress={progress} running={running} now={now} zone={jobZone} />}
      <dl className="kv">
        <dt>Job</dt>
        <dd><Link href={`/jobs/${encodeURIComponent(run.jobKey)}`}>{run.jobKey}</Link></dd>
        <dt>Slot</dt>
        <dd>{times(run.slot)}</dd>
        <dt>Started</dt>
        <dd>{times(run.startTime)}</dd>
        <dt>Closed</dt>
        <dd data-testid="run-closed">{run.closeTime ? times(run.closeTime) : running ? 'still running' : '—'}</dd>
        <dt>Duration</dt>
        <dd>{Number.isFinite(start) && Number.isFinite(end) ? `${formatElapsed(end - start)}${running ? ' so far' : ''}` : '—'}</dd>
        <dt>Attempt</dt>
        <dd>{run.attempt}</dd>
        {run.fence != null && (
          <>
            <dt>Lock fence</dt>
            <dd className="mono">{String(run.fence)}</dd>
          </>
        )}
        {run.reason && (
          <>
            <dt>Reason</dt>
            <dd>{run.reason}</dd>
          </>
        )}
        <dt>Workflow</dt>
        <dd className="mono">{run.workflowId ?? '—'}</dd>
        <dt>Run id</dt>
        <dd className="mono">{run.runId ?? '—'}</dd>
      </dl>
      {(run.errorType || run.errorMessage) && (
        <section style={{ marginBottom: 12 }}>
          <h3>{verdictOf(run.status) === 'superseded' ? 'Superseded' : 'Error'}</h3>
          {run.errorType && (
            <p style={{ margin: '0 0 4px' }}>
              <code>{run.errorType}</code>
            </p>
          )}
          {run.errorMessage && <p style={{ margin: '0 0 6px' }}>{run.errorMessage}</p>}
        </section>
      )}
      {workflowId && (
        <a href={temporalRunUrl(cfg, workflowId, run.runId ?? undefined)} target="_blank" rel="noreferrer noopener" data-testid="temporal-link">
          Open in Temporal UI ↗
        </a>
      )}
    </Dialog>
  );
}

/**
 * Done of the estimate as a bar, with the rate of this attempt and, while it runs, the ETA. Without
 * an estimate only the work done is shown (no bar that would pretend to know the end).
 */
function ProgressBlock({ progress, running, now, zone }: { progress: ProgressView; running: boolean; now: number; zone: string }) {
  const pct = Number.isFinite(progress.fraction) ? Math.round(progress.fraction * 100) : null;
  const rate = formatRate(progress);
  const left = running ? formatRemaining(progress, now) : null;
  return (
    <div style={{ marginBottom: 12 }} data-testid="run-progress">
      <div className="row small muted" style={{ justifyContent: 'space-between' }}>
        <span data-testid="progress-done">{formatDone(progress)}</span>
        {pct !== null && <span>{pct}%</span>}
      </div>
      {pct !== null && (
        <div className="progress" role="progressbar" aria-label="Progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
          <span style={{ width: `${pct}%` }} />
        </div>
      )}
      {(rate || left) && (
        <div className="row small muted" style={{ justifyContent: 'space-between', marginTop: 4 }}>
          <span>{rate ?? ''}</span>
          {left && progress.etaAt !== null && (
            <span data-testid="progress-eta">
              ETA {formatInZone(progress.etaAt, zone, { seconds: true, date: false })} · {left === 'any moment' ? left : `${left} left`}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
