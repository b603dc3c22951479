import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MaintenanceWindowDto, MaintenanceWindowInputSchema, MaintenanceWindowPatchSchema, PauseUntilBodySchema } from '@timekeeper/contracts';
import type { Services } from '../services';
import { MaintenanceWindows } from '../services/maintenance-windows';
import { errors, IdParams, KeyParams, Note } from './schemas';

/** Maintenance windows (operators create, edit, end and delete them; audited) and "pause until …". */
export const maintenanceWindowRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const windows = new MaintenanceWindows(services.orm);

  app.get('/v1/maintenance-windows', {
    schema: { tags: ['alerts'], response: { 200: Type.Object({ items: Type.Array(MaintenanceWindowDto) }), ...errors } },
    handler: async () => ({ items: await windows.list() }),
  });

  app.post('/v1/maintenance-windows', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], body: MaintenanceWindowInputSchema, response: { 201: MaintenanceWindowDto, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await windows.create(req.body, req.principal.actor)),
  });

  app.get('/v1/maintenance-windows/:id', {
    schema: { tags: ['alerts'], params: IdParams, response: { 200: MaintenanceWindowDto, ...errors } },
    handler: async (req) => windows.get(req.params.id),
  });

  app.patch('/v1/maintenance-windows/:id', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], params: IdParams, body: MaintenanceWindowPatchSchema, response: { 200: MaintenanceWindowDto, ...errors } },
    handler: async (req) => windows.update(req.params.id, req.body, req.principal.actor),
  });

  app.post('/v1/maintenance-windows/:id/end', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: MaintenanceWindowDto, ...errors } },
    handler: async (req) => windows.end(req.params.id, req.principal.actor, req.body?.note ?? null),
  });

  app.delete('/v1/maintenance-windows/:id', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], params: IdParams, response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      await windows.remove(req.params.id, req.principal.actor);
      return reply.code(204).send(null);
    },
  });

  app.post('/v1/jobs/:key/pause-until', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], params: KeyParams, body: PauseUntilBodySchema, response: { 201: MaintenanceWindowDto, ...errors } },
    handler: async (req, reply) => reply.code(201).send(await windows.pauseUntil(req.params.key, new Date(req.body.until), req.body.reason, req.principal.actor)),
  });
};
