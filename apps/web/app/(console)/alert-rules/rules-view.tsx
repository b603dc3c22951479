'use client';
import { useState } from 'react';
import { Field } from '@/components/field';
import { Empty, ErrorState, Loading } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useAlertRoutes, useCreateRoute, useDeleteRoute, useTestRoute } from '@/lib/api/alerting/alerting';
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
      <div className="table-wrap">
        {routes.isLoading ? (
          <Loading rows={3} label="Loading rules" />
        ) : routes.isError ? (
          <ErrorState error={routes.error} retry={() => void routes.refetch()} />
        ) : !routes.data!.items.length ? (
          <Empty>No routing rules: alerts go only to the live feed, Kafka and ALERTING_WEBHOOK_URL.</Empty>
        ) : (
          <table className="table" data-testid="rules-table">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Matches</th>
                <th>Destinations</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {routes.data!.items.map((r) => (
                <RuleRow key={r.id} rule={r} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {can.admin && <NewRule />}
    </main>
  );
}

function RuleRow({ rule }: { rule: AlertRoute }) {
  const can = useCan();
  const test = useTestRoute();
  const del = useDeleteRoute();
  const toast = useToast();
  const m = rule.match;
  const parts = [m.kinds?.length && `kind ${m.kinds.join(', ')}`, m.severities?.length && `severity ${m.severities.join(', ')}`, m.tags?.length && `tag ${m.tags.join(', ')}`, m.jobs?.length && `job ${m.jobs.join(', ')}`].filter(Boolean);
  return (
    <tr data-testid="rule-row">
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
        {can.admin && (
          <button type="button" className="btn small" disabled={del.isPending} onClick={() => del.mutate(rule.id, { onError: (e) => toast(e.message, 'error') })}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

function NewRule() {
  const create = useCreateRoute();
  const toast = useToast();
  const [f, setF] = useState({ name: '', kinds: '', severities: '', tags: '', jobs: '', type: 'webhook', url: '', secret: '' });
  const errors = fieldErrors(create.error);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = () => {
    const body: AlertRouteBody = {
      name: f.name,
      match: { kinds: list(f.kinds) as AlertRouteBody['match']['kinds'], severities: list(f.severities) as AlertRouteBody['match']['severities'], tags: list(f.tags), jobs: list(f.jobs) },
      destinations: [f.type === 'slack' ? { type: 'slack', url: f.url } : { type: 'webhook', url: f.url, secret: f.secret }],
    };
    create.mutate(body, { onSuccess: () => toast('Rule added'), onError: (e) => toast(`Not added: ${e.message}`, 'error') });
  };
  const err = (k: string) => Object.entries(errors).find(([field]) => field.startsWith(k))?.[1];
  return (
    <section className="panel" style={{ marginTop: 16 }}>
      <h2>New rule</h2>
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
            ['url', 'Destination URL', 'destinations'],
          ] as const
        ).map(([k, label, field]) => (
          <Field key={k} id={`rule-${k}`} label={label} error={err(field)}>
            <input value={f[k]} onChange={set(k)} />
          </Field>
        ))}
        <Field id="rule-type" label="Destination type">
          <select value={f.type} onChange={set('type')}>
            <option value="webhook">Signed webhook</option>
            <option value="slack">Slack incoming webhook</option>
          </select>
        </Field>
        {f.type === 'webhook' && (
          <Field id="rule-secret" label="Signing secret (16+ characters; not shown again)">
            <input type="password" value={f.secret} onChange={set('secret')} autoComplete="off" />
          </Field>
        )}
        <div>
          <button type="submit" className="btn primary" disabled={create.isPending}>
            Add rule
          </button>
        </div>
      </form>
    </section>
  );
}
