import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AlertRouteDto, AlertRouteInputSchema } from '@timekeeper/contracts';
import type { Services } from '../services';
import { AlertRoutes } from '../services/alert-routes';
import { errors } from './schemas';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Routing rules (admin, audited) and their test-send (operator). */
export const alertRouteRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const routes = new AlertRoutes(services.orm, services.config.KAFKA_TOPIC_ALERTS);

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
};
