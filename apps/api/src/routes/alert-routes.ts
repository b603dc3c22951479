import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AlertRouteDto, AlertRouteInputSchema, DeadLetterPageSchema, RequeueBodySchema } from '@timekeeper/contracts';
import type { Services } from '../services';
import { AlertRoutes } from '../services/alert-routes';
import { DeliveryState } from '../services/delivery-state';
import { errors, IdParams } from './schemas';

const DeadLetterQuery = Type.Object(
  {
    destination: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: 'Index in the rule’s destinations; default: all' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ pattern: '^\\d{1,20}-\\d{1,20}~\\d$', description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

/** Routing rules (admin, audited), their test-send and their destinations' dead letters (operator requeues). */
export const alertRouteRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const deliveries = new DeliveryState(services.orm, services.limits, services.config.LIVE_STREAM_KEY);
  const routes = new AlertRoutes(services.orm, services.config.KAFKA_TOPIC_ALERTS, services.secrets, deliveries, (err) =>
    app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'routing rule saved, but Redis did not take its delivery state'),
  );

  app.get('/v1/alert-routes', {
    schema: { tags: ['alerts'], response: { 200: Type.Object({ items: Type.Array(AlertRouteDto) }), ...errors } },
    handler: async () => ({ items: await routes.list() }),
  });

  app.post('/v1/alert-routes', {
    config: { minRole: 'admin' },
    schema: { tags: ['alerts'], body: AlertRouteInputSchema, response: { 201: AlertRouteDto, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await routes.save(req.body, req.principal.actor)),
  });

  app.put('/v1/alert-routes/:id', {
    config: { minRole: 'admin' },
    schema: { tags: ['alerts'], params: IdParams, body: AlertRouteInputSchema, response: { 200: AlertRouteDto, ...errors } },
    handler: async (req) => routes.save(req.body, req.principal.actor, req.params.id),
  });

  app.delete('/v1/alert-routes/:id', {
    config: { minRole: 'admin' },
    schema: { tags: ['alerts'], params: IdParams, response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      await routes.remove(req.params.id, req.principal.actor);
      return reply.code(204).send(null);
    },
  });

  app.post('/v1/alert-routes/:id/test', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], params: IdParams, response: { 202: Type.Object({ eventId: Type.String(), destinations: Type.Integer() }), ...errors } },
    handler: async (req, reply) => reply.code(202).send(await routes.testSend(req.params.id, req.principal.actor)),
  });

  app.get('/v1/alert-routes/:id/dead-letters', {
    schema: { tags: ['alerts'], summary: 'Events the rule’s destinations never accepted, newest first', params: IdParams, querystring: DeadLetterQuery, response: { 200: DeadLetterPageSchema, ...errors } },
    handler: async (req) => deliveries.list(req.params.id, { destination: req.query.destination, limit: req.query.limit ?? 50, cursor: req.query.cursor }),
  });

  app.post('/v1/alert-routes/:id/dead-letters/requeue', {
    config: { minRole: 'operator' },
    schema: {
      tags: ['alerts'],
      summary: 'Send dead letters of one destination again (all of them, or the ids named)',
      params: IdParams,
      body: RequeueBodySchema,
      response: { 202: Type.Object({ requeued: Type.Integer(), ids: Type.Array(Type.String()) }), ...errors },
    },
    handler: async (req, reply) => reply.code(202).send(await deliveries.requeue(req.params.id, req.body, req.principal.actor)),
  });
};
