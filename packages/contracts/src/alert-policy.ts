import { Type, type Static } from '@sinclair/typebox';
import { ALERT_SEVERITIES, AlertKindSchema, type AlertKind, type AlertSeverity } from './alerts';
import { DURATION_PATTERN, parseDuration } from './duration';
import { JOB_KEY_PATTERN } from './job-definition';
import { Nullable } from './nullable';

// How alerts behave for a job: its duration baseline and the noise controls. A policy is set globally,
// per tag or per job; a job's effective policy takes each field from the most specific place that
// sets it (job, then its tags in alphabetical order, then global, then the built-in defaults).

const Duration = (description: string) => Type.String({ pattern: DURATION_PATTERN, description });

const SeveritySchema = Type.Union(ALERT_SEVERITIES.map((s) => Type.Literal(s)));
const SeverityOverrides = Type.Partial(Type.Record(AlertKindSchema, SeveritySchema), {
  additionalProperties: false,
  description: 'Severity per alert kind (instead of the kind’s default)',
});

/** The fields a policy may set; every one is optional (unset: inherited). */
export const AlertPolicySettingsSchema = Type.Object(
  {
    baselineRuns: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'The baseline is taken over at most this many latest succeeded runs' })),
    baselineWindow: Type.Optional(Duration('… and only runs whose slot is at most this old, e.g. 30d')),
    baselineMinRuns: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'No baseline (and no duration alert) with fewer succeeded runs in the window' })),
    longRunningFactor: Type.Optional(Type.Number({ minimum: 1, maximum: 100, description: 'k: long_running while a run passes max(expectedMaxDuration, k × p95)' })),
    tooFastFraction: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'too_fast when a run succeeds in under this fraction of p50; 0 turns it off' })),
    failureThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Alert only from the Nth consecutive failed slot' })),
    recoveryThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'The job counts as recovered after M consecutive succeeded slots' })),
    realertInterval: Type.Optional(Nullable(Duration('Repeat an open critical alert this often until it is acknowledged; null: never'))),
    severity: Type.Optional(SeverityOverrides),
  },
  { additionalProperties: false },
);
export type AlertPolicySettings = Static<typeof AlertPolicySettingsSchema>;

export const ALERT_POLICY_SCOPES = ['global', 'tag', 'job'] as const;
export type AlertPolicyScope = (typeof ALERT_POLICY_SCOPES)[number];
export const AlertPolicyScopeSchema = Type.Union(ALERT_POLICY_SCOPES.map((s) => Type.Literal(s)));

/** A stored policy. `target` is '' for global, the tag, or the job key. */
export const AlertPolicyDto = Type.Object({
  scope: AlertPolicyScopeSchema,
  target: Type.String(),
  settings: AlertPolicySettingsSchema,
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AlertPolicyDto = Static<typeof AlertPolicyDto>;

/** The target a scope accepts: nothing, a tag (as job definitions spell them), a job key. */
export const TAG_PATTERN = '^[^\\s/?#%\\\\]{1,40}$';
export function targetPatternOf(scope: AlertPolicyScope): RegExp {
  return new RegExp(scope === 'global' ? '^$' : scope === 'tag' ? TAG_PATTERN : JOB_KEY_PATTERN);
}

/** Every field resolved, durations in ms. */
export type EffectiveAlertPolicy = {
  baselineRuns: number;
  baselineWindowMs: number;
  baselineMinRuns: number;
  longRunningFactor: number;
  tooFastFraction: number;
  failureThreshold: number;
  recoveryThreshold: number;
  realertIntervalMs: number | null;
  severity: Partial<Record<AlertKind, AlertSeverity>>;
};

export const DEFAULT_ALERT_POLICY: EffectiveAlertPolicy = {
  baselineRuns: 50,
  baselineWindowMs: 30 * 86_400_000,
  baselineMinRuns: 10,
  longRunningFactor: 2,
  tooFastFraction: 0.1,
  failureThreshold: 1,
  recoveryThreshold: 1,
  realertIntervalMs: null,
  severity: {},
};

/** A job's effective policy: job, then tags (alphabetical), then global, then `base`. */
export function resolveAlertPolicy(
  layers: { global?: AlertPolicySettings | null; tags?: Array<{ tag: string; settings: AlertPolicySettings }>; job?: AlertPolicySettings | null },
  base: EffectiveAlertPolicy = DEFAULT_ALERT_POLICY,
): EffectiveAlertPolicy {
  const tags = [...(layers.tags ?? [])].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)).map((t) => t.settings);
  // Most specific first; the first layer that sets a field wins.
  const ordered = [layers.job, ...tags, layers.global].filter((l): l is AlertPolicySettings => !!l);
  const pick = <K extends keyof AlertPolicySettings>(k: K): AlertPolicySettings[K] | undefined => ordered.find((l) => l[k] !== undefined)?.[k];
  const window = pick('baselineWindow');
  const realert = pick('realertInterval');
  const severity: Partial<Record<AlertKind, AlertSeverity>> = { ...base.severity };
  for (const l of [...ordered].reverse()) Object.assign(severity, l.severity ?? {});
  return {
    baselineRuns: pick('baselineRuns') ?? base.baselineRuns,
    baselineWindowMs: window ? parseDuration(window) : base.baselineWindowMs,
    baselineMinRuns: pick('baselineMinRuns') ?? base.baselineMinRuns,
    longRunningFactor: pick('longRunningFactor') ?? base.longRunningFactor,
    tooFastFraction: pick('tooFastFraction') ?? base.tooFastFraction,
    failureThreshold: pick('failureThreshold') ?? base.failureThreshold,
    recoveryThreshold: pick('recoveryThreshold') ?? base.recoveryThreshold,
    realertIntervalMs: realert === undefined ? base.realertIntervalMs : realert === null ? null : parseDuration(realert),
    severity,
  };
}

/** A succeeded run of the baseline's sample. */
export const DurationSampleSchema = Type.Object({ slot: Type.String({ format: 'date-time' }), durationMs: Type.Integer({ minimum: 0 }) });
export type DurationSample = Static<typeof DurationSampleSchema>;

/** p50/p95 of a job's succeeded runs (null until `minRuns` exist in the window) and what they imply. */
export const DurationBaselineSchema = Type.Object({
  p50Ms: Type.Integer(),
  p95Ms: Type.Integer(),
  runs: Type.Integer({ description: 'Succeeded runs the baseline is taken over' }),
  /** long_running fires while a run passes this (max(expectedMaxDuration, k × p95)). */
  longRunningAfterMs: Type.Integer(),
  /** too_fast fires for a success under this; null when turned off. */
  tooFastUnderMs: Nullable(Type.Integer()),
});
export type DurationBaseline = Static<typeof DurationBaselineSchema>;

export const JobBaselineSchema = Type.Object({
  jobKey: Type.String(),
  baseline: Nullable(DurationBaselineSchema),
  /** Why there is no baseline, when there is none. */
  pending: Nullable(Type.String()),
  minRuns: Type.Integer(),
  /** The sample, oldest first (the console's chart). */
  samples: Type.Array(DurationSampleSchema),
  policy: Type.Object({
    baselineRuns: Type.Integer(),
    baselineWindowMs: Type.Integer(),
    baselineMinRuns: Type.Integer(),
    longRunningFactor: Type.Number(),
    tooFastFraction: Type.Number(),
    failureThreshold: Type.Integer(),
    recoveryThreshold: Type.Integer(),
    realertIntervalMs: Nullable(Type.Integer()),
    severity: Type.Record(Type.String(), Type.String()),
  }),
});
export type JobBaseline = Static<typeof JobBaselineSchema>;

/** Nearest-rank percentile of sorted values (q in 0..1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** The baseline of a sample under a policy, or null when the sample is too small. */
export function baselineOf(samplesMs: readonly number[], policy: EffectiveAlertPolicy, expectedMaxDurationMs: number | null): DurationBaseline | null {
  if (samplesMs.length < policy.baselineMinRuns) return null;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const p50Ms = percentile(sorted, 0.5);
  const p95Ms = percentile(sorted, 0.95);
  return {
    p50Ms,
    p95Ms,
    runs: sorted.length,
    longRunningAfterMs: Math.max(expectedMaxDurationMs ?? 0, Math.round(policy.longRunningFactor * p95Ms)),
    tooFastUnderMs: policy.tooFastFraction > 0 ? Math.floor(policy.tooFastFraction * p50Ms) : null,
  };
}
