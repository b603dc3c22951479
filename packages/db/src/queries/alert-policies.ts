import type { EntityManager } from '@mikro-orm/mariadb';
import {
  resolveAlertPolicy,
  type AlertPolicyDto,
  type AlertPolicyScope,
  type AlertPolicySettings,
  type DurationSample,
  type EffectiveAlertPolicy,
} from '@timekeeper/contracts';
import { utcDate, type RawDate } from '../raw-date';

// Alert policies (global, per tag, per job) and the ledger facts the duration baseline is taken from.
// The API and the alerting service both read them through here, so a job's policy means one thing.

type PolicyRow = { scope: AlertPolicyScope; target: string; settings: AlertPolicySettings | string; updated_by: string; updated_at: RawDate };

const toDto = (r: PolicyRow): AlertPolicyDto => ({
  scope: r.scope,
  target: r.target,
  settings: typeof r.settings === 'string' ? (JSON.parse(r.settings) as AlertPolicySettings) : r.settings,
  updatedBy: r.updated_by,
  updatedAt: utcDate(r.updated_at)!.toISOString(),
});

export async function listAlertPolicies(em: EntityManager): Promise<AlertPolicyDto[]> {
  const rows = await em.execute<PolicyRow[]>('select scope, target, settings, updated_by, updated_at from alert_policies order by scope, target');
  return rows.map(toDto);
}

export async function getAlertPolicy(em: EntityManager, scope: AlertPolicyScope, target: string, lock = false): Promise<AlertPolicyDto | null> {
  const rows = await em.execute<PolicyRow[]>(`select scope, target, settings, updated_by, updated_at from alert_policies where scope = ? and target = ?${lock ? ' for update' : ''}`, [scope, target]);
  return rows[0] ? toDto(rows[0]) : null;
}

/** Creates or replaces the policy of one scope (inside the caller's transaction when given one). */
export async function putAlertPolicy(em: EntityManager, p: { scope: AlertPolicyScope; target: string; settings: AlertPolicySettings; actor: string }): Promise<void> {
  await em.execute(
    `insert into alert_policies (scope, target, settings, updated_by, updated_at) values (?, ?, ?, ?, ?)
     on duplicate key update settings = values(settings), updated_by = values(updated_by), updated_at = values(updated_at)`,
    [p.scope, p.target, JSON.stringify(p.settings), p.actor, new Date()],
    'run',
  );
}

export async function deleteAlertPolicy(em: EntityManager, scope: AlertPolicyScope, target: string): Promise<boolean> {
  const res = await em.execute<{ affectedRows?: number }>('delete from alert_policies where scope = ? and target = ?', [scope, target], 'run');
  return !!res.affectedRows;
}

/** A job's effective policy from the stored policies (all of them, or a cached copy) and its tags. */
export function effectivePolicyOf(policies: readonly AlertPolicyDto[], job: { key: string; tags: readonly string[] }, base?: EffectiveAlertPolicy): EffectiveAlertPolicy {
  const tags = new Set(job.tags);
  return resolveAlertPolicy(
    {
      global: policies.find((p) => p.scope === 'global')?.settings,
      tags: policies.filter((p) => p.scope === 'tag' && tags.has(p.target)).map((p) => ({ tag: p.target, settings: p.settings })),
      job: policies.find((p) => p.scope === 'job' && p.target === job.key)?.settings,
    },
    base,
  );
}

/**
 * The job's latest succeeded runs within the policy's window (at most `baselineRuns`), oldest first:
 * the sample its duration baseline is taken over. `before` leaves out the slot being judged and later.
 */
export async function durationSamples(
  em: EntityManager,
  jobKey: string,
  policy: Pick<EffectiveAlertPolicy, 'baselineRuns' | 'baselineWindowMs'>,
  opts: { before?: Date; now?: Date } = {},
): Promise<DurationSample[]> {
  const now = opts.now ?? new Date();
  const rows = await em.execute<Array<{ nominal_time: RawDate; ms: number | string }>>(
    `select nominal_time, timestampdiff(microsecond, started_at, finished_at) div 1000 as ms from job_slots
     where job_key = ? and status = 'succeeded' and started_at is not null and finished_at >= started_at
       and nominal_time >= ?${opts.before ? ' and nominal_time < ?' : ''}
     order by nominal_time desc limit ?`,
    [jobKey, new Date(now.getTime() - policy.baselineWindowMs), ...(opts.before ? [opts.before] : []), policy.baselineRuns],
  );
  return rows.reverse().map((r) => ({ slot: utcDate(r.nominal_time)!.toISOString(), durationMs: Number(r.ms) }));
}
