import { baselineOf, type AlertPolicyDto, type AlertPolicyScope, type AlertPolicySettings, type JobBaseline } from '@timekeeper/contracts';
import { deleteAlertPolicy, durationSamples, effectivePolicyOf, getAlertPolicy, JobDefinition, listAlertPolicies, putAlertPolicy, type MikroORM } from '@timekeeper/db';
import { notFound } from '../errors';
import { audit } from './audit';

/**
 * Alert policies (global, per tag, per job) and the duration baseline they give a job. The alerting
 * service applies them; the API stores them (audited) and shows a job's effective policy and baseline,
 * computed by the same functions from the same ledger rows.
 */
export class AlertPolicies {
  constructor(private readonly orm: MikroORM) {}

  list(): Promise<AlertPolicyDto[]> {
    return listAlertPolicies(this.orm.em.fork());
  }

  async put(scope: AlertPolicyScope, target: string, settings: AlertPolicySettings, actor: string, note: string | null): Promise<AlertPolicyDto> {
    return this.orm.em.fork().transactional(async (tx) => {
      if (scope === 'job' && !(await tx.findOne(JobDefinition, { key: target, deletedAt: null }))) throw notFound(`Job "${target}"`);
      const before = await getAlertPolicy(tx, scope, target, true);
      await putAlertPolicy(tx, { scope, target, settings, actor });
      const after = (await getAlertPolicy(tx, scope, target))!;
      audit(tx, { actor, action: 'alert_policy.put', jobKey: scope === 'job' ? target : null, before, after, note });
      await tx.flush();
      return after;
    });
  }

  async remove(scope: AlertPolicyScope, target: string, actor: string): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      const before = await getAlertPolicy(tx, scope, target, true);
      if (!before || !(await deleteAlertPolicy(tx, scope, target))) throw notFound(`The ${scope} alert policy${target ? ` "${target}"` : ''}`);
      audit(tx, { actor, action: 'alert_policy.delete', jobKey: scope === 'job' ? target : null, before, after: null, note: null });
      await tx.flush();
    });
  }

  /** The job's effective policy and its duration baseline (or why it has none yet), with the sample. */
  async baselineOf(jobKey: string): Promise<JobBaseline> {
    const em = this.orm.em.fork();
    const job = await em.findOne(JobDefinition, { key: jobKey, deletedAt: null });
    if (!job) throw notFound(`Job "${jobKey}"`);
    const policy = effectivePolicyOf(await listAlertPolicies(em), job);
    const samples = await durationSamples(em, jobKey, policy);
    const baseline = baselineOf(
      samples.map((s) => s.durationMs),
      policy,
      job.expectedMaxDurationMs,
    );
    return {
      jobKey,
      baseline,
      pending: baseline ? null : `${samples.length} of ${policy.baselineMinRuns} succeeded runs needed for a baseline`,
      minRuns: policy.baselineMinRuns,
      samples,
      policy: { ...policy, severity: policy.severity as Record<string, string> },
    };
  }
}
