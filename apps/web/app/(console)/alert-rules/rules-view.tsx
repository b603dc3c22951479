'use client';
import { useState } from 'react';
import { Field } from '@/components/field';
import { ListTable } from '@/components/list-table';
import { useToast } from '@/components/toasts';
import { useAlertRoutes, useCreateRoute, useDeleteRoute, useTestRoute, useUpdateRoute } from '@/lib/api/alerting/alerting';
import { DeadLetters } from './dead-letters';
import { fieldErrors } from '@/lib/api/http';
import { useCan } from '@/lib/api/me/get-me';
import type { AlertRoute, AlertRouteBody } from '@/lib/api/types';

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Routing rules: which alerts go to which destinations; admins add and remove them, operators test-send. */
export function RulesView() {
  const routes = useAlertRoutes();
  const can = useCan();
  return (
    <main className="page">
      <div className="page-head">
        <h1>Alert routing</h1>
        <span className="muted small">alerts matching a rule go to each of its destinations, each with its own retries and dead letter</span>
      </div>
      <ListTable
        query={routes}
        label="Loading rules"
        testId="rules-table"
        columns={['Rule', 'Matches', 'Destinations', '']}
        empty={routes.data && !routes.data.items.length ? 'No routing rules: alerts go only to the live feed, Kafka and ALERTING_WEBHOOK_URL.' : null}
      >
        {routes.data?.items.map((r) => (
          <RuleRow key={r.id} rule={r} />
        ))}
      </ListTable>
      {can.admin && <RuleForm />}
    </main>
  );
}

function RuleRow({ rule }: { rule: AlertRoute }) {
  const can = useCan();
  const [open, setOpen] = useState<null | 'dead-letters' | 'edit'>(null);
  const toggle = (what: 'dead-letters' | 'edit') => setOpen(open === what ? null : what);
  const test = useTestRoute();
  const del = useDeleteRoute();
  const toast = useToast();
  const m = rule.match;
  const parts = [m.kinds?.length && `kind ${m.kinds.join(', ')}`, m.severities?.length && `severity ${m.severities.join(', ')}`, m.tags?.length && `tag ${m.tags.join(', ')}`, m.jobs?.length && `job ${m.jobs.join(', ')}`].filter(Boolean);
  return (
    <>
      <tr data-testid="rule-row" data-rule={rule.name}>
        <td>
          <strong>{rule.name}</strong>
          {!rule.enabled && <div className="cell-sub">disabled</div>}
        </td>
        <td>{parts.length ? parts.join(' · ') : 'every alert'}</td>
        <td>
          {rule.destinations.map((d, i) => (
            <div key={i} className="cell-sub">
              {d.type}: {d.url}
              {d.signed ? ' (signed)' : ''}
            </div>
          ))}
        </td>
        <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
          {can.operate && (
            <button
              type="button"
              className="btn small"
              disabled={test.isPending}
              onClick={() =>
                test.mutate(rule.id, { onSuccess: (r) => toast(`Test alert queued for ${r.destinations} destination(s)`), onError: (e) => toast(`Test not sent: ${e.message}`, 'error') })
              }
            >
              Send test
            </button>
          )}{' '}
          <button type="button" className="btn small" aria-expanded={open === 'dead-letters'} onClick={() => toggle('dead-letters')} data-testid="show-dead-letters">
            Dead letters
          </button>{' '}
          {can.admin && (
            <button type="button" className="btn small" aria-expanded={open === 'edit'} onClick={() => toggle('edit')} data-testid="edit-rule">
              Edit
            </button>
          )}{' '}
          {can.admin && (
            <button type="button" className="btn small" disabled={del.isPending} onClick={() => del.mutate(rule.id, { onError: (e) => toast(e.message, 'error') })}>
              Delete
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={4}>{open === 'dead-letters' ? <DeadLetters rule={rule} /> : <RuleForm rule={rule} onDone={() => setOpen(null)} />}</td>
        </tr>
      )}
    </>
  );
}

type DestinationDraft = { type: 'webhook' | 'slack'; url: string; secret: string };

/**
 * Add a rule, or edit one (admin). An edit keeps each stored destination as it is unless removed (its
 * secret or Slack URL is never sent back to the browser, so it cannot be shown for editing) and may add one.
 */
function RuleForm({ rule, onDone }: { rule?: AlertRoute; onDone?: () => void }) {
  const create = useCreateRoute();
  const update = useUpdateRoute();
  const mutation = rule ? update : create;
  const toast = useToast();
  const m = rule?.match;
  const [f, setF] = useState({
    name: rule?.name ?? '',
    kinds: m?.kinds?.join(', ') ?? '',
    severities: m?.severities?.join(', ') ?? '',
    tags: m?.tags?.join(', ') ?? '',
    jobs: m?.jobs?.join(', ') ?? '',
    enabled: rule?.enabled ?? true,
  });
  const [kept, setKept] = useState<boolean[]>(() => rule?.destinations.map(() => true) ?? []);
  const [dest, setDest] = useState<DestinationDraft>({ type: 'webhook', url: '', secret: '' });
  const errors = fieldErrors(mutation.error);
  const prefix = rule ? `rule-${rule.id}` : 'rule';
  const set = (k: 'name' | 'kinds' | 'severities' | 'tags' | 'jobs') => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = () => {
    const destinations: AlertRouteBody['destinations'] = kept.flatMap((keep, i) => (keep ? [{ keep: i }] : []));
    if (!rule || dest.url) destinations.push(dest.type === 'slack' ? { type: 'slack', url: dest.url } : { type: 'webhook', url: dest.url, secret: dest.secret });
    const body: AlertRouteBody = {
      name: f.name,
      match: { kinds: list(f.kinds) as AlertRouteBody['match']['kinds'], severities: list(f.severities) as AlertRouteBody['match']['severities'], tags: list(f.tags), jobs: list(f.jobs) },
      destinations,
      enabled: f.enabled,
    };
    const done = {
      onSuccess: () => {
        toast(rule ? 'Rule saved' : 'Rule added');
        setDest({ type: 'webhook', url: '', secret: '' });
        onDone?.();
      },
      onError: (e: Error) => toast(`Not saved: ${e.message}`, 'error'),
    };
    if (rule) update.mutate({ id: rule.id, body }, done);
    else create.mutate(body, done);
  };
  const err = (k: string) => Object.entries(errors).find(([field]) => field === k || field.startsWith(`${k}.`))?.[1];
  const newIndex = kept.length;
  return (
    <section className={rule ? undefined : 'panel'} style={rule ? undefined : { marginTop: 16 }} data-testid={rule ? 'rule-edit' : 'rule-new'}>
      <h2>{rule ? `Edit ${rule.name}` : 'New rule'}</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {(
          [
            ['name', 'Name', 'name'],
            ['kinds', 'Kinds (comma-separated; empty: any)', 'match.kinds'],
            ['severities', 'Severities (critical, warning, info)', 'match.severities'],
            ['tags', 'Job tags', 'match.tags'],
            ['jobs', 'Job keys', 'match.jobs'],
          ] as const
        ).map(([k, label, field]) => (
          <Field key={k} id={`${prefix}-${k}`} label={label} error={err(field)}>
            <input value={f[k]} onChange={set(k)} />
          </Field>
        ))}
        <label className="row" style={{ gap: 6 }}>
          <input type="checkbox" checked={f.enabled} onChange={(e) => setF({ ...f, enabled: e.target.checked })} /> Enabled
        </label>
        {rule?.destinations.map((d, i) => (
          <label key={i} className="row" style={{ gap: 6 }}>
            <input type="checkbox" checked={kept[i]} onChange={(e) => setKept(kept.map((k, j) => (j === i ? e.target.checked : k)))} /> Keep destination {i + 1}: {d.type} {d.url}
          </label>
        ))}
        <Field id={`${prefix}-url`} label={rule ? 'Add a destination: URL (optional)' : 'Destination URL'} error={err(`destinations.${newIndex}`) ?? (rule ? undefined : err('destinations'))}>
          <input value={dest.url} onChange={(e) => setDest({ ...dest, url: e.target.value })} />
        </Field>
        <Field id={`${prefix}-type`} label="Destination type">
          <select value={dest.type} onChange={(e) => setDest({ ...dest, type: e.target.value as DestinationDraft['type'] })}>
            <option value="webhook">Signed webhook</option>
            <option value="slack">Slack incoming webhook</option>
          </select>
        </Field>
        {dest.type === 'webhook' && (
          <Field id={`${prefix}-secret`} label="Signing secret (16+ characters; not shown again)" error={err(`destinations.${newIndex}.secret`)}>
            <input type="password" value={dest.secret} onChange={(e) => setDest({ ...dest, secret: e.target.value })} autoComplete="off" />
          </Field>
        )}
        <div className="row">
          <button type="submit" className="btn primary" disabled={mutation.isPending}>
            {rule ? 'Save rule' : 'Add rule'}
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
