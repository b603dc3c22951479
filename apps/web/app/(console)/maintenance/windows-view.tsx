'use client';
import { useState } from 'react';
import { Field } from '@/components/field';
import { Empty, ErrorState, Loading } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useCreateWindow, useDeleteWindow, useEndWindow, useWindows } from '@/lib/api/alerting/alerting';
import { fieldErrors } from '@/lib/api/http';
import { useCan } from '@/lib/api/me/get-me';
import type { MaintenanceWindow, MaintenanceWindowBody } from '@/lib/api/types';
import { formatInZone } from '@/lib/time/format';
import { useViewerZone } from '@/lib/time/use-viewer-zone';

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Maintenance windows: when jobs are paused (or their alerts kept quiet); operators add, end and delete them. */
export function WindowsView() {
  const windows = useWindows();
  const can = useCan();
  const zone = useViewerZone();
  return (
    <main className="page">
      <div className="page-head">
        <h1>Maintenance windows</h1>
        <span className="muted small">times in {zone}</span>
      </div>
      <div className="table-wrap">
        {windows.isLoading ? (
          <Loading rows={3} label="Loading windows" />
        ) : windows.isError ? (
          <ErrorState error={windows.error} retry={() => void windows.refetch()} />
        ) : !windows.data!.items.length ? (
          <Empty>No maintenance windows.</Empty>
        ) : (
          <table className="table" data-testid="windows-table">
            <thead>
              <tr>
                <th>Window</th>
                <th>Covers</th>
                <th>When</th>
                <th>Mode</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {windows.data!.items.map((w) => (
                <WindowRow key={w.id} w={w} zone={zone} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {can.operate && <NewWindow />}
    </main>
  );
}

function WindowRow({ w, zone }: { w: MaintenanceWindow; zone: string }) {
  const can = useCan();
  const end = useEndWindow();
  const del = useDeleteWindow();
  const toast = useToast();
  const config = w.managedBy === 'config';
  return (
    <tr data-testid="window-row">
      <td>
        <strong>{w.name}</strong>
        <div className="cell-sub">{w.reason}</div>
        {config && <div className="cell-sub">defined in config/jobs.yaml</div>}
      </td>
      <td>{[...w.jobs.map((j) => `job ${j}`), ...w.tags.map((t) => `tag ${t}`)].join(', ')}</td>
      <td>
        {w.from && w.to ? `${formatInZone(w.from, zone)} – ${formatInZone(w.to, zone)}` : `${w.cron} for ${w.duration} (${w.timezone})`}
        {w.endedAt && <div className="cell-sub">ended {formatInZone(w.endedAt, zone)}</div>}
      </td>
      <td>{w.mode === 'pause' ? 'pause schedules' : 'runs go on, alerts kept quiet'}</td>
      <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
        {can.operate && (
          <button type="button" className="btn small" disabled={end.isPending} onClick={() => end.mutate(w.id, { onSuccess: () => toast('Ended'), onError: (e) => toast(e.message, 'error') })}>
            End now
          </button>
        )}{' '}
        {can.operate && !config && (
          <button type="button" className="btn small" disabled={del.isPending} onClick={() => del.mutate(w.id, { onError: (e) => toast(e.message, 'error') })}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

function NewWindow() {
  const create = useCreateWindow();
  const toast = useToast();
  const [f, setF] = useState({ name: '', reason: '', jobs: '', tags: '', mode: 'pause', timing: 'once', from: '', to: '', cron: '', duration: '', timezone: 'UTC' });
  const errors = fieldErrors(create.error);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = () => {
    const body: MaintenanceWindowBody = {
      name: f.name,
      reason: f.reason,
      jobs: list(f.jobs),
      tags: list(f.tags),
      mode: f.mode as MaintenanceWindowBody['mode'],
      ...(f.timing === 'once'
        ? { from: f.from ? new Date(f.from).toISOString() : undefined, to: f.to ? new Date(f.to).toISOString() : undefined }
        : { cron: f.cron, duration: f.duration, timezone: f.timezone }),
    };
    create.mutate(body, { onSuccess: () => toast('Window added'), onError: (e) => toast(`Not added: ${e.message}`, 'error') });
  };
  const errorOf = (k: string) => Object.entries(errors).find(([field]) => field === k || field.startsWith(`${k}.`))?.[1];
  const input = (k: keyof typeof f, label: string, type = 'text') => (
    <Field id={`window-${k}`} label={label} error={errorOf(k)}>
      <input type={type} value={f[k]} onChange={set(k)} />
    </Field>
  );
  return (
    <section className="panel" style={{ marginTop: 16 }}>
      <h2>New window</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {input('name', 'Name')}
        {input('reason', 'Reason')}
        {input('jobs', 'Job keys (comma-separated)')}
        {input('tags', 'Tags (comma-separated)')}
        <Field id="window-mode" label="Mode" error={errorOf('mode')}>
          <select value={f.mode} onChange={set('mode')}>
            <option value="pause">Pause the schedules (slots get the verdict paused)</option>
            <option value="suppress">Let runs go on, keep their alerts quiet</option>
          </select>
        </Field>
        <Field id="window-timing" label="Timing">
          <select value={f.timing} onChange={set('timing')}>
            <option value="once">Once (from – to, your time)</option>
            <option value="recurring">Recurring (cron + duration in a zone)</option>
          </select>
        </Field>
        {f.timing === 'once' ? (
          <>
            {input('from', 'From', 'datetime-local')}
            {input('to', 'To', 'datetime-local')}
          </>
        ) : (
          <>
            {input('cron', 'Cron (when each occurrence starts)')}
            {input('duration', 'Duration, e.g. 2h')}
            {input('timezone', 'Zone')}
          </>
        )}
        <div>
          <button type="submit" className="btn primary" disabled={create.isPending}>
            Add window
          </button>
        </div>
      </form>
    </section>
  );
}
