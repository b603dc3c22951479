'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useCan } from '@/lib/api/me/get-me';
import { useCancelRun } from '@/lib/api/runs/cancel-run';
import { useRetryRun } from '@/lib/api/runs/retry-run';
import type { Run } from '@/lib/api/types';
import { canCancel, canRetry, verdictOf } from '@/lib/runs/status';
import { isSupersededRefusal } from '@/lib/runs/superseded';
import { progressOf } from '@/lib/timeline/build';
import { formatElapsed, formatWithZone, viewerZone } from '@/lib/time/format';
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
  const start = run.startTime ? Date.parse(run.startTime) : Number.NaN;
  const end = run.closeTime ? Date.parse(run.closeTime) : Date.now();
  const progress = progressOf(run);
  const times = (iso: string | null) =>
    iso ? (
      <>
        {formatWithZone(iso, jobZone, { seconds: true })}
        {mine !== jobZone && <div className="cell-sub">{formatWithZone(iso, mine, { seconds: true })}</div>}
      </>
    ) : (
      '—'
    );
  const doRetry = (confirmSuperseded?: true) =>
    retry.mutate(
      { workflowId: run.workflowId, confirmSuperseded },
      {
        onSuccess: (r) => {
          setSuperseded(null);
          setRetried(r.workflowId);
          toast(r.supersededBy ? `Retry started for ${r.jobKey}; it will end as superseded by ${r.supersededBy}` : `Retry started for ${r.jobKey}`);
        },
        onError: (e) => (isSupersededRefusal(e) ? setSuperseded(e.message) : toast(`Retry failed: ${e.message}`, 'error')),
      },
    );
  const doCancel = () =>
    cancel.mutate(run.workflowId, {
      onSuccess: () => toast('Cancellation requested'),
      onError: (e) => toast(`Cancel failed: ${e.message}`, 'error'),
    });
  return (
    <Dialog variant="drawer" title={<span className="row">Run of {run.jobKey ?? 'unknown job'}</span>} onClose={onClose} labelledBy="run-drawer-title">
      <div className="row" style={{ marginBottom: 12 }} data-testid="run-drawer">
        <VerdictBadge status={run.status} />
        <span className="spacer" style={{ flex: 1 }} />
        {can.operate && !synthetic && canRetry(run.status) && (
          <button type="button" className="btn primary small" onClick={() => doRetry()} disabled={retry.isPending || retried !== null || superseded !== null} data-testid="retry-run">
            {retry.isPending ? 'Retrying…' : retried ? 'Retry started' : 'Retry'}
          </button>
        )}
        {can.operate && !synthetic && canCancel(run.status) && (
          <button type="button" className="btn danger small" onClick={doCancel} disabled={cancel.isPending} data-testid="cancel-run">
            {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {superseded && (
        <SupersededConfirm message={superseded} confirmLabel="Retry anyway" pending={retry.isPending} onConfirm={() => doRetry(true)} onCancel={() => setSuperseded(null)} />
      )}
      {retried && (
        <div className="notice">
          New run <code>{retried}</code> started for the same slot.
        </div>
      )}
      {Number.isFinite(progress) && (
        <div style={{ marginBottom: 12 }}>
          <div className="row small muted" style={{ justifyContent: 'space-between' }}>
            <span>Progress</span>
            <span>{Math.round(progress * 100)}%</span>
          </div>
          <div className="progress" role="progressbar" aria-valuenow={Math.round(progress * 100)} aria-valuemin={0} aria-valuemax={100}>
            <span style={{ width: `${Math.min(100, progress * 100)}%` }} />
          </div>
        </div>
      )}
      <dl className="kv">
        <dt>Job</dt>
        <dd>{run.jobKey ? <Link href={`/jobs/${encodeURIComponent(run.jobKey)}`}>{run.jobKey}</Link> : '—'}</dd>
        <dt>Slot</dt>
        <dd>{times(run.slot)}</dd>
        <dt>Started</dt>
        <dd>{times(run.startTime)}</dd>
        <dt>Closed</dt>
        <dd>{run.closeTime ? times(run.closeTime) : 'still running'}</dd>
        <dt>Duration</dt>
        <dd>{Number.isFinite(start) ? `${formatElapsed(end - start)}${run.closeTime ? '' : ' so far'}` : '—'}</dd>
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
        <dd className="mono">{run.workflowId}</dd>
        <dt>Run id</dt>
        <dd className="mono">{run.runId}</dd>
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
          {run.errorStack && <pre className="stack">{run.errorStack}</pre>}
        </section>
      )}
      {run.attempts && run.attempts.length > 0 && (
        <section style={{ marginBottom: 12 }}>
          <h3>Attempts</h3>
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>Verdict</th>
                <th>Started ({jobZone})</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {run.attempts.map((a) => (
                <tr key={a.attempt}>
                  <td>{a.attempt}</td>
                  <td>{a.status ? <VerdictBadge status={a.status} /> : '—'}</td>
                  <td className="nowrap">{a.startTime ? formatWithZone(a.startTime, jobZone, { seconds: true }) : '—'}</td>
                  <td>{[a.errorType, a.errorMessage].filter(Boolean).join(': ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {!synthetic && (
        <a href={temporalRunUrl(cfg, run.workflowId, run.runId)} target="_blank" rel="noreferrer noopener" data-testid="temporal-link">
          Open in Temporal UI ↗
        </a>
      )}
    </Dialog>
  );
}
