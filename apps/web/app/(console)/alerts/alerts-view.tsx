'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { Empty, ErrorState, Loading } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useAlerts, type AlertFilters } from '@/lib/api/alerts/list-alerts';
import { useUpdateAlert, type AlertAction } from '@/lib/api/alerts/update-alert';
import { useCan } from '@/lib/api/me/get-me';
import type { Alert } from '@/lib/api/types';
import { useFallbackInterval } from '@/lib/live/live-events';
import { formatInZone, formatRelative } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';
import { useDebounced } from '@/lib/use-debounced';

const KINDS = ['failed', 'timed_out', 'terminated', 'cancelled', 'missed', 'late_start', 'overdue', 'webhook_failed', 'outbox_dead_letter'];
const KIND_LABEL: Record<string, string> = {
  failed: 'Failed',
  timed_out: 'Timed out',
  terminated: 'Terminated',
  cancelled: 'Cancelled',
  missed: 'Missed slot',
  late_start: 'Late start',
  overdue: 'Overdue',
  webhook_failed: 'Webhook failed',
  outbox_dead_letter: 'Event dead-lettered',
};
const SEVERITY_COLOR: Record<string, string> = { critical: '#c23434', error: '#c23434', warning: '#b7791f', info: '#2f5fd0' };

export function AlertsView() {
  const [status, setStatus] = useState('open');
  const [kind, setKind] = useState('');
  const [severity, setSeverity] = useState('');
  const [job, setJob] = useState('');
  const jobDebounced = useDebounced(job.trim(), 300);
  const filters: AlertFilters = { status: status || undefined, kind: kind || undefined, severity: severity || undefined, job: jobDebounced || undefined, limit: 50 };
  const poll = useFallbackInterval(10_000);
  const alerts = useAlerts(filters, poll);
  const items = useMemo(() => alerts.data?.pages.flatMap((p) => p.items) ?? [], [alerts.data]);
  const unavailable = alerts.data?.pages[0]?.unavailable === true;
  const zone = useViewerZone();

  return (
    <main className="page">
      <div className="page-head">
        <h1>Alerts</h1>
        <span className="muted small">times in {zone}</span>
      </div>
      <div className="row" style={{ marginBottom: 12 }} role="search">
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open">Open</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="resolved">Resolved</option>
          <option value="">Any status</option>
        </select>
        <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">Any kind</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
        <select aria-label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
          <option value="">Any severity</option>
          <option value="critical">Critical</option>
          <option value="error">Error</option>
          <option value="warning">Warning</option>
          <option value="info">Info</option>
        </select>
        <input type="search" aria-label="Job key" placeholder="Job key" value={job} onChange={(e) => setJob(e.target.value)} />
      </div>
      {unavailable && <div className="notice warn">This API does not serve alerts yet (GET /v1/alerts answered 404). The feed fills in once the alerting service is deployed.</div>}
      <div className="table-wrap">
        {alerts.isLoading ? (
          <Loading rows={5} label="Loading alerts" />
        ) : alerts.isError ? (
          <ErrorState error={alerts.error} retry={() => void alerts.refetch()} />
        ) : !items.length ? (
          <Empty>{status === 'open' ? 'No open alerts. All quiet.' : 'No alerts match these filters.'}</Empty>
        ) : (
          <table className="table" data-testid="alerts-table">
            <thead>
              <tr>
                <th>Alert</th>
                <th>Job and slot</th>
                <th>Seen</th>
                <th>Count</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <AlertRow key={String(a.id)} alert={a} zone={zone} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {alerts.hasNextPage && (
        <div style={{ marginTop: 12, textAlign: 'center' }}>
          <button type="button" className="btn" onClick={() => void alerts.fetchNextPage()} disabled={alerts.isFetchingNextPage}>
            Older alerts
          </button>
        </div>
      )}
    </main>
  );
}

function AlertRow({ alert, zone }: { alert: Alert; zone: string }) {
  const can = useCan();
  const update = useUpdateAlert();
  const toast = useToast();
  const act = (action: AlertAction) =>
    update.mutate(
      { id: alert.id, action },
      {
        onSuccess: () => toast(action === 'ack' ? 'Acknowledged' : 'Resolved'),
        onError: (e) => toast(`Could not ${action === 'ack' ? 'acknowledge' : 'resolve'}: ${e.message}`, 'error'),
      },
    );
  const slotHref = `/jobs/${encodeURIComponent(alert.jobKey)}${alert.slot ? `?slot=${encodeURIComponent(alert.slot)}` : ''}`;
  return (
    <tr data-testid="alert-row" data-kind={alert.kind} data-job={alert.jobKey} data-status={alert.status}>
      <td style={{ maxWidth: 460 }}>
        <div className="row" style={{ gap: 6 }}>
          <span className="pill" style={{ background: 'transparent', boxShadow: `inset 0 0 0 1px ${SEVERITY_COLOR[alert.severity] ?? '#7d8590'}`, color: SEVERITY_COLOR[alert.severity] ?? '#45505c' }}>
            {alert.severity}
          </span>
          <strong>{KIND_LABEL[alert.kind] ?? alert.kind}</strong>
        </div>
        <div className="cell-sub">{alert.reason}</div>
      </td>
      <td>
        <Link href={slotHref}>{alert.jobKey}</Link>
        {alert.slot && <div className="cell-sub">slot {formatInZone(alert.slot, zone)}</div>}
      </td>
      <td className="nowrap">
        {formatRelative(alert.lastSeen)}
        <div className="cell-sub">first {formatInZone(alert.firstSeen, zone)}</div>
      </td>
      <td>{alert.count}</td>
      <td>
        {alert.status}
        {alert.acknowledgedBy && <div className="cell-sub">by {alert.acknowledgedBy}</div>}
      </td>
      <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
        {can.operate && alert.status === 'open' && (
          <button type="button" className="btn small" onClick={() => act('ack')} disabled={update.isPending}>
            Acknowledge
          </button>
        )}{' '}
        {can.operate && alert.status !== 'resolved' && (
          <button type="button" className="btn small" onClick={() => act('resolve')} disabled={update.isPending}>
            Resolve
          </button>
        )}
      </td>
    </tr>
  );
}
