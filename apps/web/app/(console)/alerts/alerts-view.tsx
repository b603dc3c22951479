'use client';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { ListTable } from '@/components/list-table';
import { useToast } from '@/components/toasts';
import { incidentsOf, type Incident } from '@/lib/alerts/incidents';
import { useAlerts, type AlertFilters } from '@/lib/api/alerts/list-alerts';
import { useUpdateAlert, type AlertAction } from '@/lib/api/alerts/update-alert';
import { useCan } from '@/lib/api/me/get-me';
import type { Alert } from '@/lib/api/types';
import { useFallbackInterval } from '@/lib/live/live-events';
import { formatInZone, formatRelative } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';

const KIND_LABEL: Record<string, string> = {
  failed: 'Failed',
  timed_out: 'Timed out',
  terminated: 'Terminated',
  cancelled: 'Cancelled',
  missed: 'Missed slot',
  late_start: 'Late start',
  overdue: 'Overdue',
  long_running: 'Running long',
  too_fast: 'Too fast',
  schedule_missing: 'Schedule missing',
  schedule_drift: 'Schedule drift',
  webhook_failed: 'Webhook failed',
  outbox_dead_letter: 'Event dead-lettered',
};
const KINDS = Object.keys(KIND_LABEL);
const SEVERITY_COLOR: Record<string, string> = { critical: '#c23434', warning: '#b7791f', info: '#2f5fd0' };

/** Filters live in the URL (shareable, kept on reload): status (default open), kind, severity, job. */
function useUrlFilters() {
  const params = useSearchParams();
  const pathname = usePathname();
  const get = (k: string) => params.get(k) ?? '';
  const status = params.has('status') ? get('status') : 'open';
  const set = (k: string, v: string) => {
    // From the URL as it is now, not as of the last render: a router navigation commits later, so a
    // second change made before it (a kind, then a job at once) used to drop the first. The native
    // history call changes the URL at once, and Next keeps useSearchParams in step with it.
    const next = new URLSearchParams(window.location.search);
    if (v === '' && k !== 'status') next.delete(k);
    else next.set(k, v);
    window.history.replaceState(null, '', `${pathname}?${next.toString()}`);
  };
  return { status, kind: get('kind'), severity: get('severity'), job: get('job'), set };
}

export function AlertsView() {
  const f = useUrlFilters();
  const [job, setJob] = useState(f.job);
  const filters: AlertFilters = { status: f.status || undefined, kind: f.kind || undefined, severity: f.severity || undefined, job: f.job || undefined, limit: 100 };
  const poll = useFallbackInterval(10_000);
  const alerts = useAlerts(filters, poll);
  const items = useMemo(() => alerts.data?.pages.flatMap((p) => p.items) ?? [], [alerts.data]);
  const incidents = useMemo(() => incidentsOf(items), [items]);
  const unavailable = alerts.data?.pages[0]?.unavailable === true;
  const zone = useViewerZone();

  return (
    <main className="page">
      <div className="page-head">
        <h1>Alerts</h1>
        <span className="muted small">grouped by incident (job and kind) · times in {zone}</span>
      </div>
      <div className="row" style={{ marginBottom: 12 }} role="search">
        <select aria-label="Status" value={f.status} onChange={(e) => f.set('status', e.target.value)}>
          <option value="open">Open</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="resolved">Resolved</option>
          <option value="">Any status</option>
        </select>
        <select aria-label="Kind" value={f.kind} onChange={(e) => f.set('kind', e.target.value)}>
          <option value="">Any kind</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
        <select aria-label="Severity" value={f.severity} onChange={(e) => f.set('severity', e.target.value)}>
          <option value="">Any severity</option>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
          <option value="info">Info</option>
        </select>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            f.set('job', job.trim());
          }}
        >
          <input type="search" aria-label="Job key" placeholder="Job key (Enter)" value={job} onChange={(e) => setJob(e.target.value)} />
        </form>
      </div>
      {unavailable && <div className="notice warn">This API does not serve alerts yet (GET /v1/alerts answered 404).</div>}
      <ListTable
        query={alerts}
        label="Loading alerts"
        testId="alerts-table"
        rows={5}
        groups
        columns={['Incident', 'Slot', 'Seen', 'Count', 'Status', '']}
        empty={alerts.data && !incidents.length ? (f.status === 'open' ? 'No open alerts. All quiet.' : 'No alerts match these filters.') : null}
      >
        {incidents.map((inc) => (
          <IncidentRows key={inc.key} incident={inc} zone={zone} />
        ))}
      </ListTable>
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

function IncidentRows({ incident, zone }: { incident: Incident; zone: string }) {
  const worst = incident.severity;
  return (
    <tbody data-testid="incident" data-job={incident.jobKey} data-kind={incident.kind}>
      <tr className="incident-head">
        <td colSpan={6}>
          <div className="row" style={{ gap: 6 }}>
            <span className="pill" style={{ background: 'transparent', boxShadow: `inset 0 0 0 1px ${SEVERITY_COLOR[worst] ?? '#7d8590'}`, color: SEVERITY_COLOR[worst] ?? '#45505c' }}>
              {worst}
            </span>
            <strong>{KIND_LABEL[incident.kind] ?? incident.kind}</strong>
            <Link href={`/jobs/${encodeURIComponent(incident.jobKey)}`}>{incident.jobKey}</Link>
            <span className="muted small">
              {incident.alerts.length} slot{incident.alerts.length === 1 ? '' : 's'}
            </span>
          </div>
        </td>
      </tr>
      {incident.alerts.map((a) => (
        <AlertRow key={String(a.id)} alert={a} zone={zone} />
      ))}
    </tbody>
  );
}

function AlertRow({ alert, zone }: { alert: Alert; zone: string }) {
  const can = useCan();
  const update = useUpdateAlert();
  const toast = useToast();
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState('');
  const act = (action: AlertAction, withNote?: string) =>
    update.mutate(
      { id: alert.id, action, note: withNote || undefined },
      {
        onSuccess: () => {
          setNoting(false);
          toast(action === 'ack' ? 'Acknowledged' : 'Resolved');
        },
        onError: (e) => toast(`Could not ${action === 'ack' ? 'acknowledge' : 'resolve'}: ${e.message}`, 'error'),
      },
    );
  const slotHref = `/jobs/${encodeURIComponent(alert.jobKey)}?slot=${encodeURIComponent(alert.slot)}`;
  return (
    <tr data-testid="alert-row" data-kind={alert.kind} data-job={alert.jobKey} data-status={alert.status}>
      <td style={{ maxWidth: 460, paddingLeft: 24 }}>
        <div className="cell-sub">{alert.reason}</div>
        {alert.suppressedBy && <div className="cell-sub">recorded in maintenance ({alert.suppressedBy}), not notified</div>}
        {alert.note && <div className="cell-sub">note: {alert.note}</div>}
      </td>
      <td>
        <Link href={slotHref}>{formatInZone(alert.slot, zone)}</Link>
      </td>
      <td className="nowrap">
        {formatRelative(alert.lastSeen)}
        <div className="cell-sub">first {formatInZone(alert.firstSeen, zone)}</div>
      </td>
      <td>{alert.count}</td>
      <td>
        {alert.status}
        {alert.recoveredAt && alert.status !== 'resolved' && <div className="cell-sub">job recovered</div>}
        {alert.acknowledgedBy && <div className="cell-sub">by {alert.acknowledgedBy}</div>}
      </td>
      <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
        {can.operate && alert.status === 'open' && !noting && (
          <button type="button" className="btn small" onClick={() => setNoting(true)} disabled={update.isPending}>
            Acknowledge
          </button>
        )}
        {noting && (
          <form
            className="row"
            style={{ gap: 4, justifyContent: 'flex-end' }}
            onSubmit={(e) => {
              e.preventDefault();
              act('ack', note.trim());
            }}
          >
            <input aria-label="Acknowledge note" placeholder="Note (optional)" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} autoFocus />
            <button type="submit" className="btn small primary" disabled={update.isPending}>
              Acknowledge
            </button>
            <button type="button" className="btn small" onClick={() => setNoting(false)}>
              Cancel
            </button>
          </form>
        )}{' '}
        {can.operate && alert.status !== 'resolved' && !noting && (
          <button type="button" className="btn small" onClick={() => act('resolve')} disabled={update.isPending}>
            Resolve
          </button>
        )}
      </td>
    </tr>
  );
}
