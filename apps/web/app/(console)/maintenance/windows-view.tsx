'use client';
import { useState } from 'react';
import { Field } from '@/components/field';
import { ListTable } from '@/components/list-table';
import { useToast } from '@/components/toasts';
import { useCreateWindow, useDeleteWindow, useEndWindow, useUpdateWindow, useWindows } from '@/lib/api/alerting/alerting';
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
      <ListTable
        query={windows}
        label="Loading windows"
        testId="windows-table"
        columns={['Window', 'Covers', 'When', 'Mode', '']}
        empty={windows.data && !windows.data.items.length ? 'No maintenance windows.' : null}
      >
        {windows.data?.items.map((w) => (
          <WindowRow key={w.id} w={w} zone={zone} />
        ))}
      </ListTable>
      {can.operate && <WindowForm />}
    </main>
  );
}

function WindowRow({ w, zone }: { w: MaintenanceWindow; zone: string }) {
  const can = useCan();
  const end = useEndWindow();
  const del = useDeleteWindow();
  const toast = useToast();
  const config = w.managedBy === 'config';
  const [editing, setEditing] = useState(false);
  return (
    <>
      <tr data-testid="window-row" data-window={w.name}>
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
            <button type="button" className="btn small" aria-expanded={editing} onClick={() => setEditing(!editing)} data-testid="edit-window">
              Edit
            </button>
          )}{' '}
          {can.operate && !config && (
            <button type="button" className="btn small" disabled={del.isPending} onClick={() => del.mutate(w.id, { onError: (e) => toast(e.message, 'error') })}>
              Delete
            </button>
          )}
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={5}>
            <WindowForm w={w} onDone={() => setEditing(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

/** `YYYY-MM-DDTHH:mm` in the browser's zone (what a datetime-local input holds). */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Add a window, or edit one (operators; a window defined in config/jobs.yaml is edited there). */
function WindowForm({ w, onDone }: { w?: MaintenanceWindow; onDone?: () => void }) {
  const create = useCreateWindow();
  const update = useUpdateWindow();
  const mutation = w ? update : create;
  const toast = useToast();
  const [f, setF] = useState({
    name: w?.name ?? '',
    reason: w?.reason ?? '',
    jobs: w?.jobs.join(', ') ?? '',
    tags: w?.tags.join(', ') ?? '',
    mode: w?.mode ?? 'pause',
    timing: w?.cron ? 'recurring' : 'once',
    from: localInput(w?.from ?? null),
    to: localInput(w?.to ?? null),
    cron: w?.cron ?? '',
    duration: w?.duration ?? '',
    timezone: w?.timezone ?? 'UTC',
  });
  const errors = fieldErrors(mutation.error);
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
    const done = {
      onSuccess: () => {
        toast(w ? 'Window saved' : 'Window added');
        onDone?.();
      },
      onError: (e: Error) => toast(`Not saved: ${e.message}`, 'error'),
    };
    if (w) update.mutate({ id: w.id, patch: body }, done);
    else create.mutate(body, done);
  };
  const prefix = w ? `window-${w.id}` : 'window';
  const errorOf = (k: string) => Object.entries(errors).find(([field]) => field === k || field.startsWith(`${k}.`))?.[1];
  const input = (k: keyof typeof f, label: string, type = 'text') => (
    <Field id={`${prefix}-${k}`} label={label} error={errorOf(k)}>
      <input type={type} value={f[k]} onChange={set(k)} />
    </Field>
  );
  return (
    <section className={w ? undefined : 'panel'} style={w ? undefined : { marginTop: 16 }} data-testid={w ? 'window-edit' : 'window-new'}>
      <h2>{w ? `Edit ${w.name}` : 'New window'}</h2>
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
        <Field id={`${prefix}-mode`} label="Mode" error={errorOf('mode')}>
          <select value={f.mode} onChange={set('mode')}>
            <option value="pause">Pause the schedules (slots get the verdict paused)</option>
            <option value="suppress">Let runs go on, keep their alerts quiet</option>
          </select>
        </Field>
        <Field id={`${prefix}-timing`} label="Timing">
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
        <div className="row">
          <button type="submit" className="btn primary" disabled={mutation.isPending}>
            {w ? 'Save window' : 'Add window'}
          </button>
          {onDone && (
            <button type="button" className="btn" onClick={onDone}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
