import { type AlertRouteDto, type AlertRouteInput } from '@timekeeper/contracts';
import {
  countPlainDestinations,
  deleteRoute,
  getRoute,
  JobDefinition,
  listRoutes,
  routeNamed,
  routeView,
  saveRoute,
  sealDestination,
  sealPlainDestinations,
  writeTestAlertEvent,
  type MikroORM,
  type SecretBox,
  type StoredDestination,
  type StoredRoute,
} from '@timekeeper/db';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { audit } from './audit';
import type { DeliveryState } from './delivery-state';

/**
 * Routing rules: the API stores them (admin, audited, secrets never shown again); the alerting holder
 * delivers. A test-send queues a made-up alert for one rule's destinations through the outbox, so it
 * travels the same path (live stream, delivery loop, retries, dead letter) as a real one.
 */
export class AlertRoutes {
  constructor(
    private readonly orm: MikroORM,
    private readonly topic: string,
    /** Seals new destinations' secrets; without one (DESTINATION_SECRETS_KEY unset) a new destination is refused. */
    private readonly secrets: SecretBox | null,
    private readonly deliveries: DeliveryState,
    /** Redis did not take a delivery-state change; the rule itself is saved (see DeliveryState). */
    private readonly onDeliveryStateError: (err: unknown) => void,
  ) {}

  async list(): Promise<AlertRouteDto[]> {
    return (await listRoutes(this.orm.em.fork())).map(routeView);
  }

  async save(input: AlertRouteInput, actor: string, id?: number): Promise<AlertRouteDto> {
    const saved = await this.orm.em.fork().transactional(async (tx) => {
      const before = id !== undefined ? await getRoute(tx, id, true) : null;
      if (id !== undefined && !before) throw notFound(`Routing rule ${id}`);
      const jobs = input.match.jobs ?? [];
      if (jobs.length) {
        const found = new Set((await tx.find(JobDefinition, { key: { $in: jobs }, deletedAt: null })).map((j) => j.key));
        const missing = jobs.map((k, i) => ({ k, i })).filter(({ k }) => !found.has(k));
        if (missing.length) throw badRequest(`No such job: ${missing.map((m) => m.k).join(', ')}`, missing.map(({ k, i }) => ({ field: `match.jobs.${i}`, message: `job "${k}" does not exist` })));
      }
      const named = await routeNamed(tx, input.name);
      if (named !== null && named !== id) throw conflict('route_name_taken', `A routing rule named "${input.name}" exists`);
      const saved = await saveRoute(tx, { ...input, destinations: this.destinationsOf(input, before) }, actor, id);
      const stored = (await getRoute(tx, saved))!;
      const after = routeView(stored);
      audit(tx, { actor, action: id === undefined ? 'alert_route.create' : 'alert_route.update', before: before ? routeView(before) : null, after });
      await tx.flush();
      return { after, stored, before };
    });
    await this.deliveries.afterSave(saved.stored, saved.before).catch(this.onDeliveryStateError);
    return saved.after;
  }

  /** The destinations to store: new ones sealed, kept ones (`{keep: n}`, an edit) as they are stored. */
  private destinationsOf(input: AlertRouteInput, before: StoredRoute | null): StoredDestination[] {
    const problems: Array<{ field: string; message: string }> = [];
    const out = input.destinations.map((d, i): StoredDestination | null => {
      if (!('keep' in d)) return this.secrets ? sealDestination(d, this.secrets) : null;
      const kept = before?.destinations[d.keep];
      if (!kept) problems.push({ field: `destinations.${i}.keep`, message: before ? `the rule has ${before.destinations.length} destination(s), numbered from 0` : 'keep is for an edit of an existing rule' });
      return kept ?? null;
    });
    if (problems.length) throw badRequest(`Invalid destinations: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
    if (out.some((d) => d === null)) {
      throw new ApiError(503, 'secrets_key_missing', 'This API has no DESTINATION_SECRETS_KEY, so it cannot store a destination’s secret; set it (the same in the alerting service)');
    }
    return out as StoredDestination[];
  }

  async remove(id: number, actor: string): Promise<void> {
    const removed = await this.orm.em.fork().transactional(async (tx) => {
      const before = await getRoute(tx, id, true);
      if (!before) throw notFound(`Routing rule ${id}`);
      await deleteRoute(tx, id);
      audit(tx, { actor, action: 'alert_route.delete', before: routeView(before), after: null });
      await tx.flush();
      return before;
    });
    await this.deliveries.forget(removed).catch(this.onDeliveryStateError);
  }

  async testSend(id: number, actor: string): Promise<{ eventId: string; destinations: number }> {
    return this.orm.em.fork().transactional(async (tx) => {
      const route = await getRoute(tx, id);
      if (!route) throw notFound(`Routing rule ${id}`);
      if (!route.enabled) throw conflict('route_disabled', `Routing rule "${route.name}" is disabled; enable it to test it`);
      const event = await writeTestAlertEvent(tx, this.topic, id, actor);
      audit(tx, { actor, action: 'alert_route.test', after: { routeId: id, eventId: event.eventId } });
      await tx.flush();
      return { eventId: event.eventId, destinations: route.destinations.length };
    });
  }
}

/**
 * At start: seals the destinations of rules written before secrets were sealed (the data migration of
 * existing rows; it needs the key, which only the apps have). Without the key it only says how many
 * rules still hold plain secrets.
 */
export async function sealStoredSecrets(orm: MikroORM, secrets: SecretBox | null): Promise<{ sealed: number } | { plain: number }> {
  if (secrets) return { sealed: await sealPlainDestinations(orm.em.fork(), secrets) };
  return { plain: await countPlainDestinations(orm.em.fork()) };
}
