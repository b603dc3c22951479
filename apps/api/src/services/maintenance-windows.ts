import { formatDuration, parseDuration, type MaintenanceWindowDto, type MaintenanceWindowInput, type MaintenanceWindowPatch } from '@timekeeper/contracts';
import { deleteWindow, getWindow, insertWindow, JobDefinition, listWindows, updateWindow, windowRecordOf, type EntityManager, type MikroORM, type WindowRecord } from '@timekeeper/db';
import { checkCron, checkTimezone } from '@timekeeper/scheduling';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { audit } from './audit';

const MAX_OCCURRENCE_MS = 7 * 86_400_000;
const MAX_SECONDS_CRON_OCCURRENCE_MS = 3_600_000;
type Detail = { field: string; message: string };

/**
 * A window's fields checked together (the schema checks each alone): one-off or recurring, never
 * both; a valid cron (occurrences start on its minutes, or seconds with 6 fields); a zone Temporal knows; jobs
 * that exist. Every problem is named at once; nothing is written unless all is well.
 */
async function recordOf(em: EntityManager, patch: MaintenanceWindowPatch, base: Partial<WindowRecord> = {}): Promise<WindowRecord> {
  const details: Detail[] = [];
  // An edit of some timing fields keeps the others of the same kind (a new duration keeps the cron).
  const w = { ...patch };
  if ((w.from !== undefined || w.to !== undefined) && base.startsAt && base.endsAt) {
    w.from ??= base.startsAt.toISOString();
    w.to ??= base.endsAt.toISOString();
  }
  if ((w.cron !== undefined || w.duration !== undefined || w.timezone !== undefined) && base.cron) {
    w.cron ??= base.cron;
    w.duration ??= formatDuration(base.durationMs!);
    w.timezone ??= base.timezone!;
  }
  const jobs = w.jobs ?? base.jobs ?? [];
  const tags = w.tags ?? base.tags ?? [];
  if (!jobs.length && !tags.length) details.push({ field: 'jobs', message: 'a window covers at least one job or tag (jobs or tags)' });
  if (jobs.length) {
    const found = new Set((await em.find(JobDefinition, { key: { $in: jobs }, deletedAt: null })).map((j) => j.key));
    jobs.forEach((k, i) => found.has(k) || details.push({ field: `jobs.${i}`, message: `job "${k}" does not exist` }));
  }
  const oneOff = w.from !== undefined || w.to !== undefined;
  const recurring = w.cron !== undefined || w.duration !== undefined || w.timezone !== undefined;
  let startsAt: Date | null = null;
  let endsAt: Date | null = null;
  let cron: string | null = null;
  let durationMs: number | null = null;
  let timezone: string | null = null;
  if (oneOff && recurring) details.push({ field: 'cron', message: 'a window is one-off (from, to) or recurring (cron, duration, timezone), not both' });
  else if (oneOff) {
    if (!w.from) details.push({ field: 'from', message: 'is required with to' });
    if (!w.to) details.push({ field: 'to', message: 'is required with from' });
    if (w.from && w.to) {
      startsAt = new Date(w.from);
      endsAt = new Date(w.to);
      if (endsAt <= startsAt) details.push({ field: 'to', message: 'must be after from' });
    }
  } else if (recurring) {
    for (const f of ['cron', 'duration', 'timezone'] as const) if (!w[f]) details.push({ field: f, message: 'is required for a recurring window' });
    if (w.cron) {
      const check = checkCron(w.cron);
      if (!check.ok) details.push({ field: 'cron', message: check.message });
      else cron = w.cron.trim();
    }
    if (w.duration) {
      durationMs = parseDuration(w.duration);
      // A 6-field cron starts occurrences on seconds: they are kept short (the calendar steps by second).
      const max = cron && cron.split(/\s+/).length === 6 ? MAX_SECONDS_CRON_OCCURRENCE_MS : MAX_OCCURRENCE_MS;
      if (durationMs < 1_000 || durationMs > max) details.push({ field: 'duration', message: `must be from 1s to ${max === MAX_OCCURRENCE_MS ? '7d' : '1h with a seconds field in the cron'}` });
    }
    if (w.timezone) {
      const problem = checkTimezone(w.timezone);
      if (problem) details.push({ field: 'timezone', message: problem });
      else timezone = w.timezone;
    }
  } else if (base.startsAt || base.cron) {
    ({ startsAt = null, endsAt = null, cron = null, durationMs = null, timezone = null } = base);
  } else details.push({ field: 'from', message: 'either from and to (one-off) or cron, duration and timezone (recurring) are required' });
  if (details.length) throw badRequest(`Invalid window: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
  return {
    name: w.name ?? base.name!,
    reason: w.reason ?? base.reason!,
    jobs,
    tags,
    mode: w.mode ?? base.mode ?? 'pause',
    startsAt,
    endsAt,
    cron,
    durationMs,
    timezone,
    endedAt: base.endedAt ?? null,
    managedBy: base.managedBy ?? 'console',
  };
}


/** Maintenance windows: the API stores them (audited); the alerting holder applies them. */
export class MaintenanceWindows {
  constructor(private readonly orm: MikroORM) {}

  list(): Promise<MaintenanceWindowDto[]> {
    return listWindows(this.orm.em.fork());
  }

  async get(id: number): Promise<MaintenanceWindowDto> {
    const w = await getWindow(this.orm.em.fork(), { id });
    if (!w) throw notFound(`Maintenance window ${id}`);
    return w;
  }

  async create(input: MaintenanceWindowInput, actor: string, managedBy: 'console' | 'config' = 'console'): Promise<MaintenanceWindowDto> {
    return this.orm.em.fork().transactional(async (tx) => {
      const record = await recordOf(tx, input, { managedBy });
      if (await getWindow(tx, { name: record.name })) throw conflict('window_name_taken', `A maintenance window named "${record.name}" exists`);
      const id = await insertWindow(tx, record, actor);
      const after = (await getWindow(tx, { id }))!;
      audit(tx, { actor, action: 'window.create', before: null, after, note: record.reason });
      await tx.flush();
      return after;
    });
  }

  async update(id: number, patch: MaintenanceWindowPatch, actor: string, opts: { asConfig?: boolean } = {}): Promise<MaintenanceWindowDto> {
    return this.change(id, actor, 'window.update', opts, async (tx, before) => {
      // A patch naming one kind of timing replaces the other kind; a patch naming none keeps it.
      const record = await recordOf(tx, { ...patch }, windowRecordOf(before));
      if (record.name !== before.name && (await getWindow(tx, { name: record.name }))) throw conflict('window_name_taken', `A maintenance window named "${record.name}" exists`);
      return record;
    });
  }

  /** Ends a window now: a one-off one for good, a recurring one's occurrence in progress. */
  async end(id: number, actor: string, note: string | null): Promise<MaintenanceWindowDto> {
    return this.change(id, actor, 'window.end', {}, async (_tx, before) => ({ ...windowRecordOf(before), endedAt: new Date() }), note);
  }

  async remove(id: number, actor: string, opts: { asConfig?: boolean } = {}): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      const before = await getWindow(tx, { id }, true);
      if (!before) throw notFound(`Maintenance window ${id}`);
      if (before.managedBy === 'config' && !opts.asConfig) throw conflict('managed_by_config', `Window "${before.name}" is defined in config; change it there`);
      await deleteWindow(tx, id);
      audit(tx, { actor, action: 'window.delete', before, after: null });
      await tx.flush();
    });
  }

  /** "Pause until …": a one-off pause window of one job, from now. */
  async pauseUntil(jobKey: string, until: Date, reason: string | undefined, actor: string): Promise<MaintenanceWindowDto> {
    const now = new Date();
    if (until <= now) throw new ApiError(400, 'invalid_request', 'until must be in the future', [{ field: 'until', message: 'must be in the future' }]);
    if (!(await this.orm.em.fork().findOne(JobDefinition, { key: jobKey, deletedAt: null }))) throw notFound(`Job "${jobKey}"`);
    return this.create(
      { name: `pause ${jobKey} until ${until.toISOString()}`.slice(0, 100), reason: reason ?? `paused by ${actor}`, jobs: [jobKey], mode: 'pause', from: now.toISOString(), to: until.toISOString() },
      actor,
    );
  }

  private async change(
    id: number,
    actor: string,
    action: string,
    opts: { asConfig?: boolean },
    next: (tx: EntityManager, before: MaintenanceWindowDto) => Promise<WindowRecord>,
    note: string | null = null,
  ): Promise<MaintenanceWindowDto> {
    return this.orm.em.fork().transactional(async (tx) => {
      const before = await getWindow(tx, { id }, true);
      if (!before) throw notFound(`Maintenance window ${id}`);
      if (before.managedBy === 'config' && !opts.asConfig && action !== 'window.end') throw conflict('managed_by_config', `Window "${before.name}" is defined in config; change it there`);
      await updateWindow(tx, id, await next(tx, before), actor);
      const after = (await getWindow(tx, { id }))!;
      audit(tx, { actor, action, before, after, note });
      await tx.flush();
      return after;
    });
  }
}
