'use client';
import { useState } from 'react';
import { Field } from '@/components/field';
import { ListTable } from '@/components/list-table';
import { useToast } from '@/components/toasts';
import { useDeletePolicy, usePolicies, usePutPolicy } from '@/lib/api/alerting/alerting';
import { fieldErrors } from '@/lib/api/http';
import { useCan } from '@/lib/api/me/get-me';
import type { AlertPolicy, PolicySettings } from '@/lib/api/types';

// The fields the editor offers (severity per kind stays as stored: the API takes it, this form keeps it).
const NUMBERS = [
  ['failureThreshold', 'Failure threshold (alert from the Nth consecutive bad slot)'],
  ['recoveryThreshold', 'Recovery threshold (recovered after M consecutive successes)'],
  ['baselineMinRuns', 'Baseline: runs needed'],
  ['baselineRuns', 'Baseline: latest runs taken'],
  ['longRunningFactor', 'long_running past k × p95'],
  ['tooFastFraction', 'too_fast under this fraction of p50 (0: off)'],
] as const;
const TEXTS = [
  ['baselineWindow', 'Baseline window, e.g. 30d'],
  ['realertInterval', 'Realert interval, e.g. 1h (never: none)'],
] as const;
type Key = (typeof NUMBERS)[number][0] | (typeof TEXTS)[number][0];

const summary = (s: PolicySettings) =>
  Object.entries(s)
    .map(([k, v]) => `${k} ${v === null ? 'never' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ') || 'nothing set';
const label = (p: Pick<AlertPolicy, 'scope' | 'target'>) => (p.scope === 'global' ? 'global' : `${p.scope} ${p.target}`);

/** Alert policies per job, tag or globally (admin edits); a job takes each field from the most specific one. */
export function PoliciesView() {
  const policies = usePolicies();
  const can = useCan();
  const [editing, setEditing] = useState<AlertPolicy | null>(null);
  const del = useDeletePolicy();
  const toast = useToast();
  return (
    <main className="page">
      <div className="page-head">
        <h1>Alert policies</h1>
        <span className="muted small">a job takes each field from its own policy, then its tags’ (A–Z), then the global one, then the defaults</span>
      </div>
      <ListTable
        query={policies}
        label="Loading policies"
        testId="policies-table"
        columns={['Applies to', 'Settings', 'Changed by', '']}
        empty={policies.data && !policies.data.items.length ? 'No policies: every job has the built-in defaults.' : null}
      >
        {policies.data?.items.map((p) => (
          <tr key={`${p.scope}/${p.target}`} data-testid="policy-row" data-policy={label(p)}>
            <td>
              <strong>{label(p)}</strong>
            </td>
            <td>{summary(p.settings)}</td>
            <td>{p.updatedBy}</td>
            <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
              {can.admin && (
                <>
                  <button type="button" className="btn small" onClick={() => setEditing(p)}>
                    Edit
                  </button>{' '}
                  <button type="button" className="btn small" disabled={del.isPending} onClick={() => del.mutate(p, { onSuccess: () => toast('Policy removed'), onError: (e) => toast(e.message, 'error') })}>
                    Remove
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      {can.admin && <PolicyForm key={editing ? label(editing) : 'new'} policy={editing} onDone={() => setEditing(null)} />}
    </main>
  );
}

function PolicyForm({ policy, onDone }: { policy: AlertPolicy | null; onDone: () => void }) {
  const put = usePutPolicy();
  const toast = useToast();
  const s = policy?.settings ?? {};
  const [scope, setScope] = useState<AlertPolicy['scope']>(policy?.scope ?? 'job');
  const [target, setTarget] = useState(policy?.target ?? '');
  const [values, setValues] = useState<Record<Key, string>>(() => {
    const v = {} as Record<Key, string>;
    for (const [k] of [...NUMBERS, ...TEXTS]) v[k] = s[k] === undefined ? '' : s[k] === null ? 'never' : String(s[k]);
    return v;
  });
  const [note, setNote] = useState('');
  const errors = fieldErrors(put.error);
  const submit = () => {
    // Empty: inherited (not sent). Numbers as numbers, so the API names a bad one at its field.
    const settings: Record<string, unknown> = s.severity ? { severity: s.severity } : {};
    for (const [k] of NUMBERS) if (values[k].trim() !== '') settings[k] = Number(values[k]);
    if (values.baselineWindow.trim()) settings.baselineWindow = values.baselineWindow.trim();
    if (values.realertInterval.trim()) settings.realertInterval = values.realertInterval.trim() === 'never' ? null : values.realertInterval.trim();
    put.mutate(
      { scope, target: scope === 'global' ? '' : target.trim(), settings: settings as PolicySettings, note: note.trim() || undefined },
      {
        onSuccess: (p) => {
          toast(`Policy for ${label(p)} saved`);
          onDone();
        },
        onError: (e) => toast(`Not saved: ${e.message}`, 'error'),
      },
    );
  };
  return (
    <section className="panel" style={{ marginTop: 16 }} data-testid="policy-form">
      <h2>{policy ? `Edit the ${label(policy)} policy` : 'Set a policy'}</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="row">
          <Field id="policy-scope" label="Applies to">
            <select value={scope} onChange={(e) => setScope(e.target.value as AlertPolicy['scope'])} disabled={!!policy}>
              <option value="job">a job</option>
              <option value="tag">jobs with a tag</option>
              <option value="global">every job</option>
            </select>
          </Field>
          {scope !== 'global' && (
            <Field id="policy-target" label={scope === 'job' ? 'Job key' : 'Tag'} error={errors.target}>
              <input value={target} onChange={(e) => setTarget(e.target.value)} disabled={!!policy} />
            </Field>
          )}
        </div>
        {[...NUMBERS, ...TEXTS].map(([k, text]) => (
          <Field key={k} id={`policy-${k}`} label={text} error={errors[`settings.${k}`]}>
            <input value={values[k]} inputMode={NUMBERS.some(([n]) => n === k) ? 'decimal' : undefined} placeholder="inherited" onChange={(e) => setValues({ ...values, [k]: e.target.value })} />
          </Field>
        ))}
        <Field id="policy-note" label="Note for the audit log (optional)">
          <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <div className="row">
          <button type="submit" className="btn primary" disabled={put.isPending}>
            Save policy
          </button>
          {policy && (
            <button type="button" className="btn" onClick={onDone}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
