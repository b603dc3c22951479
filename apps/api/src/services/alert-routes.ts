import { type AlertRouteDto, type AlertRouteInput } from '@timekeeper/contracts';
import { deleteRoute, getRoute, JobDefinition, listRoutes, routeNamed, routeView, saveRoute, writeTestAlertEvent, type MikroORM } from '@timekeeper/db';
import { badRequest, conflict, notFound } from '../errors';
import { audit } from './audit';

/**
 * Routing rules: the API stores them (admin, audited, secrets never shown again); the alerting holder
 * delivers. A test-send queues a made-up alert for one rule's destinations through the outbox, so it
 * travels the same path (live stream, delivery loop, retries, dead letter) as a real one.
 */
export class AlertRoutes {
  constructor(
    private readonly orm: MikroORM,
    private readonly topic: string,
  ) {}

  async list(): Promise<AlertRouteDto[]> {
    return (await listRoutes(this.orm.em.fork())).map(routeView);
  }

  async save(input: AlertRouteInput, actor: string, id?: number): Promise<AlertRouteDto> {
    return this.orm.em.fork().transactional(async (tx) => {
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
      const saved = await saveRoute(tx, input, actor, id);
      const after = routeView((await getRoute(tx, saved))!);
      audit(tx, { actor, action: id === undefined ? 'alert_route.create' : 'alert_route.update', before: before ? routeView(before) : null, after });
      await tx.flush();
      return after;
    });
  }

  async remove(id: number, actor: string): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      const before = await getRoute(tx, id, true);
      if (!before) throw notFound(`Routing rule ${id}`);
      await deleteRoute(tx, id);
      audit(tx, { actor, action: 'alert_route.delete', before: routeView(before), after: null });
      await tx.flush();
    });
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
