'use client';
import type { MissingWallTime, OverlapPolicy, RepeatedWallTime } from '@timekeeper/contracts';
import { MISSING_WALL_TIMES, OVERLAP_POLICIES, REPEATED_WALL_TIMES } from '@/lib/contract-values';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { useCreateJob } from '@/lib/api/jobs/create-job';
import { useUpdateJob } from '@/lib/api/jobs/update-job';
import { fieldErrors, isApiError } from '@/lib/api/http';
import { useKinds } from '@/lib/api/kinds/list-kinds';
import { useSchedulePreview } from '@/lib/api/schedules/preview-schedule';
import type { Job, JsonSchema } from '@/lib/api/types';
import { draftFromJob, emptyDraft, enumOptions, paramsForKind, toBody, validateDraft, type Draft } from '@/lib/job-form/draft';
import { cronToWords } from '@/lib/schedule/cron-words';
import { slotClock, slotFlag } from '@/lib/schedule/slot-flags';
import { formatInZone, viewerZone } from '@/lib/time/format';
import { useDebounced } from '@/lib/use-debounced';
import { INTERVAL_DST_NOTE, MISSING_HELP, REPEATED_HELP } from './dst-help';
import { Field } from './field';
import { OVERLAP_HELP } from './overlap-help';
import { ErrorState, Loading } from './states';
import { useToast } from './toasts';
import { allZones, ZoneInput } from './zone-input';

/** Create (no job) or edit (with the job as loaded, whose version goes in If-Match). */
export function JobForm({ job, onReload }: { job?: Job; onReload?: () => void }) {
  const kinds = useKinds();
  const router = useRouter();
  const toast = useToast();
  const create = useCreateJob();
  const update = useUpdateJob();
  const editing = job !== undefined;
  const [draft, setDraft] = useState<Draft>(() => (job ? draftFromJob(job) : emptyDraft('', 'UTC')));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const zones = useMemo(() => new Set(allZones()), []);

  const kindsList = kinds.data;
  const effectiveKind = draft.kind || (!editing && kindsList?.[0]?.kind) || '';
  const schema: JsonSchema | undefined = kindsList?.find((k) => k.kind === effectiveKind)?.params;
  const params = useMemo(() => paramsForKind(schema, draft.params), [schema, draft.params]);
  const current: Draft = { ...draft, kind: effectiveKind, params };

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, kind: d.kind || effectiveKind, [k]: v }));
    setServerErrors((e) => {
      if (!Object.keys(e).length) return e;
      const next = { ...e };
      for (const f of Object.keys(next)) if (f === k || f.endsWith(`.${String(k)}`)) delete next[f];
      return next;
    });
  };
  const setParam = (name: string, v: string | boolean) => setDraft((d) => ({ ...d, kind: d.kind || effectiveKind, params: { ...paramsForKind(schema, d.params), [name]: v } }));

  // Live schedule check: debounced, so the API sees what was typed once typing pauses.
  const scheduleInput = useDebounced(
    current.mode === 'cron'
      ? current.cron.trim()
        ? { cron: current.cron.trim(), timezone: current.timezone, repeatedWallTime: current.repeatedWallTime, missingWallTime: current.missingWallTime, count: 5 }
        : null
      : /^\d+(ms|s|m|h|d)$/.test(current.interval.trim())
        ? { interval: current.interval.trim(), timezone: current.timezone, count: 5 }
        : null,
    350,
  );
  const zoneOk = zones.has(current.timezone);
  const preview = useSchedulePreview(scheduleInput && zoneOk ? scheduleInput : null);
  const previewErrors = preview.isError ? fieldErrors(preview.error) : {};
  const scheduleField = current.mode === 'cron' ? 'schedule.cron' : 'schedule.interval';
  const livePreviewError = preview.isError && !preview.isFetching ? (previewErrors.cron ?? previewErrors.interval ?? (isApiError(preview.error, 400) ? preview.error.message : undefined)) : undefined;

  const clientErrors = validateDraft(current, schema, zones);
  const errors: Record<string, string> = { ...(submitted ? clientErrors : {}), ...serverErrors };
  if (livePreviewError) errors[scheduleField] ??= livePreviewError;
  if (!zoneOk && current.timezone.length > 2) errors['schedule.timezone'] ??= 'not a known IANA time zone';

  const saving = create.isPending || update.isPending;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFormError(null);
    setConflict(false);
    if (Object.keys(clientErrors).length) {
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const body = toBody(current, schema);
    try {
      const saved = editing
        ? await update.mutateAsync({ key: job.key, version: job.version, body: (({ key: _k, ...rest }) => rest)(body) })
        : await create.mutateAsync(body);
      toast(editing ? `Saved ${saved.key}` : `Created ${saved.key}`);
      router.push(`/jobs/${encodeURIComponent(saved.key)}`);
    } catch (err) {
      if (isApiError(err, 412)) {
        setConflict(true);
        return;
      }
      const fields = fieldErrors(err);
      setServerErrors(fields);
      const unplaced = isApiError(err) ? err.details.filter((d) => !(d.field in fields) || !document.querySelector(`[data-field="${CSS.escape(d.field)}"]`)) : [];
      setFormError(err instanceof Error ? (Object.keys(fields).length && !unplaced.length ? 'Fix the highlighted fields.' : err.message) : 'Save failed.');
    }
  };

  if (kinds.isLoading) return <Loading rows={8} label="Loading job kinds" />;
  if (kinds.isError) return <ErrorState error={kinds.error} retry={() => void kinds.refetch()} />;
  const mine = viewerZone();

  return (
    <form onSubmit={submit} noValidate data-testid="job-form">
      {conflict && (
        <div className="notice warn" role="alert" data-testid="conflict">
          Someone saved this job after you opened it (you edited version {job?.version}).{' '}
          <button type="button" className="btn small" onClick={() => { setConflict(false); onReload?.(); }}>
            Reload the latest version
          </button>{' '}
          <span className="small">(your unsaved changes are dropped)</span>
        </div>
      )}
      {formError && !conflict && (
        <div className="notice error" role="alert" data-testid="form-error">
          {formError}
        </div>
      )}
      <div className="grid-2">
        <div>
          <fieldset>
            <legend>Job</legend>
            <div className="fields-2">
              <Field id="name" label="Name" error={errors.name} help="Shown everywhere in the console.">
                <input type="text" value={current.name} maxLength={200} onChange={(e) => set('name', e.target.value)} />
              </Field>
              <Field id="key" label="Key" error={errors.key} help={editing ? 'Fixed once created: the Temporal schedule id derives from it.' : 'Lowercase slug; cannot be changed later.'}>
                <input type="text" value={current.key} readOnly={editing} spellCheck={false} onChange={(e) => set('key', e.target.value)} />
              </Field>
            </div>
            <Field id="description" label="Description" error={errors.description}>
              <textarea rows={2} maxLength={2000} value={current.description} onChange={(e) => set('description', e.target.value)} />
            </Field>
            <div className="fields-2">
              <Field id="tags" label="Tags" error={errors.tags} help="Comma-separated, for filters.">
                <input type="text" value={current.tags} onChange={(e) => set('tags', e.target.value)} />
              </Field>
              <Field id="owner" label="Owner" error={errors.owner} help="Team or person to call.">
                <input type="text" value={current.owner} maxLength={100} onChange={(e) => set('owner', e.target.value)} />
              </Field>
            </div>
          </fieldset>

          <fieldset>
            <legend>What it runs</legend>
            <Field id="kind" label="Kind" error={errors.kind}>
              <select value={current.kind} onChange={(e) => set('kind', e.target.value)}>
                {kindsList?.map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {k.title}
                  </option>
                ))}
              </select>
            </Field>
            <ParamsFields schema={schema} values={params} errors={errors} onChange={setParam} />
          </fieldset>

          <fieldset>
            <legend>Retries and limits</legend>
            <div className="fields-3">
              <Field id="retry.maxAttempts" label="Max attempts" error={errors['retry.maxAttempts']} help="Tries per slot, first one included.">
                <input type="number" min={1} max={100} value={current.maxAttempts} onChange={(e) => set('maxAttempts', e.target.value)} />
              </Field>
              <Field id="retry.initialInterval" label="First retry after" error={errors['retry.initialInterval']} help="Wait before the 2nd attempt.">
                <input type="text" value={current.initialInterval} onChange={(e) => set('initialInterval', e.target.value)} />
              </Field>
              <Field id="retry.maxInterval" label="Longest wait" error={errors['retry.maxInterval']} help="Cap on the growing wait.">
                <input type="text" value={current.maxInterval} onChange={(e) => set('maxInterval', e.target.value)} />
              </Field>
              <Field id="retry.backoffCoefficient" label="Backoff ×" error={errors['retry.backoffCoefficient']} help="Each wait is this times the last.">
                <input type="number" min={1} max={10} step={0.5} value={current.backoffCoefficient} onChange={(e) => set('backoffCoefficient', e.target.value)} />
              </Field>
              <Field id="retry.nonRetryableErrorTypes" label="Never retry" error={errors['retry.nonRetryableErrorTypes']} help="Error types, comma-separated.">
                <input type="text" value={current.nonRetryableErrorTypes} onChange={(e) => set('nonRetryableErrorTypes', e.target.value)} />
              </Field>
            </div>
            <div className="fields-3">
              <Field id="timeouts.run" label="Run timeout" error={errors['timeouts.run']} help="Whole run, all attempts.">
                <input type="text" value={current.runTimeout} onChange={(e) => set('runTimeout', e.target.value)} />
              </Field>
              <Field id="timeouts.startToClose" label="Attempt timeout" error={errors['timeouts.startToClose']} help="One attempt, start to end.">
                <input type="text" value={current.startToClose} onChange={(e) => set('startToClose', e.target.value)} />
              </Field>
              <Field id="timeouts.heartbeat" label="Heartbeat timeout" error={errors['timeouts.heartbeat']} help="Longest silence from a worker.">
                <input type="text" value={current.heartbeat} onChange={(e) => set('heartbeat', e.target.value)} />
              </Field>
              <Field id="expectedMaxDuration" label="Expected max duration" error={errors.expectedMaxDuration} help="Longer runs raise an overdue alert.">
                <input type="text" value={current.expectedMaxDuration} placeholder="none" onChange={(e) => set('expectedMaxDuration', e.target.value)} />
              </Field>
              <Field id="lock.ttl" label="Lock lease" error={errors['lock.ttl']} help="Auto-extended while it runs.">
                <input type="text" value={current.lockTtl} onChange={(e) => set('lockTtl', e.target.value)} />
              </Field>
              <div className="field">
                <span className="label">Lock</span>
                <label className="row" style={{ fontWeight: 400 }}>
                  <input type="checkbox" checked={current.lockRequired} onChange={(e) => set('lockRequired', e.target.checked)} /> One run at a time across workers
                </label>
              </div>
            </div>
          </fieldset>
        </div>

        <div>
          <fieldset>
            <legend>When</legend>
            <div className="seg" role="group" aria-label="Schedule type" style={{ marginBottom: 12 }}>
              <button type="button" className="btn small" aria-pressed={current.mode === 'cron'} onClick={() => set('mode', 'cron')}>
                Cron
              </button>
              <button type="button" className="btn small" aria-pressed={current.mode === 'interval'} onClick={() => set('mode', 'interval')}>
                Interval
              </button>
            </div>
            {current.mode === 'cron' ? (
              <Field
                id="schedule.cron"
                label="Cron expression"
                error={errors['schedule.cron']}
                help={errors['schedule.cron'] ? undefined : (cronToWords(current.cron) ?? 'minute hour day-of-month month day-of-week, or @hourly-style')}
              >
                <input type="text" className="mono" spellCheck={false} value={current.cron} onChange={(e) => set('cron', e.target.value)} />
              </Field>
            ) : (
              <Field id="schedule.interval" label="Every" error={errors['schedule.interval']} help="A duration such as 90s, 10m or 2h.">
                <input type="text" value={current.interval} onChange={(e) => set('interval', e.target.value)} />
              </Field>
            )}
            <Field id="schedule.timezone" label="Time zone" error={errors['schedule.timezone']} help="Slots follow this zone's wall clock, DST included. Type to search.">
              <ZoneInput value={current.timezone} onChange={(v) => set('timezone', v)} />
            </Field>
            {current.mode === 'cron' ? (
              <div className="fields-2">
                <Field id="schedule.repeatedWallTime" label="Repeated time (clocks fall back)" error={errors['schedule.repeatedWallTime']} help={REPEATED_HELP[current.repeatedWallTime]}>
                  <select value={current.repeatedWallTime} onChange={(e) => set('repeatedWallTime', e.target.value as RepeatedWallTime)}>
                    {REPEATED_WALL_TIMES.map((p) => (
                      <option key={p} value={p}>
                        {p === 'first' ? 'first occurrence' : p === 'last' ? 'last occurrence' : 'both'}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field id="schedule.missingWallTime" label="Missing time (clocks jump forward)" error={errors['schedule.missingWallTime']} help={MISSING_HELP[current.missingWallTime]}>
                  <select value={current.missingWallTime} onChange={(e) => set('missingWallTime', e.target.value as MissingWallTime)}>
                    {MISSING_WALL_TIMES.map((p) => (
                      <option key={p} value={p}>
                        {p === 'shift' ? 'run just after the jump' : 'skip it'}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
            ) : (
              <p className="muted small" data-testid="interval-dst-note">
                {INTERVAL_DST_NOTE}
              </p>
            )}
            <div className="preview" aria-live="polite" data-testid="schedule-preview" style={{ minHeight: 132 }}>
              <h3>Next fire times</h3>
              {!scheduleInput || !zoneOk ? (
                <p className="muted small">Enter a schedule to see when it fires.</p>
              ) : preview.isError ? (
                <p className="muted small">No fire times: fix the schedule above.</p>
              ) : !preview.data ? (
                <Loading rows={3} />
              ) : (
                <ol className="small" style={{ margin: 0, paddingLeft: 18, opacity: preview.isFetching ? 0.6 : 1 }}>
                  {preview.data.items.map((f) => {
                    const flag = slotFlag(f);
                    return (
                      <li key={`${f.utc}-${f.missingWall ?? f.ambiguous ?? ''}`} data-status={f.status} className={f.status === 'skipped' ? 'muted' : undefined}>
                        <span style={f.status === 'skipped' ? { textDecoration: 'line-through' } : undefined}>
                          {slotClock(f, formatInZone(f.utc, current.timezone))} {current.timezone}
                        </span>
                        {mine !== current.timezone && <span className="muted"> · {formatInZone(f.utc, mine)} {mine}</span>}
                        {flag && (
                          <span className="dst" title={f.note} style={{ marginLeft: 6 }}>
                            {flag}
                          </span>
                        )}
                      </li>
                    );
                  })}
                </ol>
              )}
            </div>
          </fieldset>
          <fieldset>
            <legend>When things overlap or are late</legend>
            <Field id="schedule.overlapPolicy" label="Overlap" error={errors['schedule.overlapPolicy']} help={OVERLAP_HELP[current.overlapPolicy]}>
              <select value={current.overlapPolicy} onChange={(e) => set('overlapPolicy', e.target.value as OverlapPolicy)}>
                {OVERLAP_POLICIES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </Field>
            <div className="fields-3">
              <Field id="schedule.catchupWindow" label="Catch-up window" error={errors['schedule.catchupWindow']} help="A slot missed by less still runs.">
                <input type="text" value={current.catchupWindow} onChange={(e) => set('catchupWindow', e.target.value)} />
              </Field>
              <Field id="gracePeriod" label="Grace period" error={errors.gracePeriod} help="Not started by then: missed.">
                <input type="text" value={current.gracePeriod} onChange={(e) => set('gracePeriod', e.target.value)} />
              </Field>
              <Field id="schedule.jitter" label="Jitter" error={errors['schedule.jitter']} help="Random delay per slot.">
                <input type="text" value={current.jitter} onChange={(e) => set('jitter', e.target.value)} />
              </Field>
            </div>
          </fieldset>
          <div className="row" style={{ justifyContent: 'flex-end' }}>
            <Link href={editing ? `/jobs/${encodeURIComponent(job.key)}` : '/jobs'} className="btn">
              Cancel
            </Link>
            <button type="submit" className="btn primary" disabled={saving} data-testid="save-job">
              {saving ? 'Saving…' : editing ? 'Save changes' : 'Create job'}
            </button>
          </div>
        </div>
      </div>
    </form>
  );
}

function ParamsFields({ schema, values, errors, onChange }: { schema?: JsonSchema; values: Draft['params']; errors: Record<string, string>; onChange: (name: string, v: string | boolean) => void }) {
  const props = Object.entries(schema?.properties ?? {});
  if (!props.length) return <p className="muted small">This kind takes no parameters.</p>;
  return (
    <div className="fields-2">
      {props.map(([name, prop]) => {
        const id = `params.${name}`;
        const required = schema?.required?.includes(name) ?? false;
        const options = enumOptions(prop);
        const label = (
          <>
            {prop.title ?? name}
            {!required && <span className="muted" style={{ fontWeight: 400 }}> (optional)</span>}
          </>
        );
        const range = prop.minimum !== undefined || prop.maximum !== undefined ? ` (${prop.minimum ?? '…'}–${prop.maximum ?? '…'})` : '';
        const help = `${prop.description ?? ''}${range}`;
        const value = values[name];
        if (prop.type === 'boolean') {
          return (
            <div className="field" key={name} data-field={id}>
              <label className="row" style={{ fontWeight: 400 }}>
                <input type="checkbox" checked={value === true} onChange={(e) => onChange(name, e.target.checked)} /> {label}
              </label>
              {errors[id] && <span className="error">{errors[id]}</span>}
            </div>
          );
        }
        return (
          <Field key={name} id={id} label={label} help={help || undefined} error={errors[id]}>
            {options ? (
              <select value={String(value ?? '')} onChange={(e) => onChange(name, e.target.value)}>
                {!required && <option value="">—</option>}
                {options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type={prop.type === 'integer' || prop.type === 'number' ? 'number' : 'text'}
                min={prop.minimum}
                max={prop.maximum}
                step={prop.type === 'integer' ? 1 : undefined}
                value={String(value ?? '')}
                onChange={(e) => onChange(name, e.target.value)}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}
