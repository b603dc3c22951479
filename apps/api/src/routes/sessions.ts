import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ApiError, notFound } from '../errors';
import { audit } from '../services/audit';
import type { Services } from '../services';
import { errors } from './schemas';

const Role = Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]);
const SessionView = Type.Object({
  id: Type.Integer(),
  actor: Type.String(),
  keyId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  idleTimeoutSeconds: Type.Integer(),
});

/**
 * Console sessions. Only the console (its shared secret) may open one: it trades the key the user typed
 * for a session id that it keeps in an httpOnly cookie, so the key never stays in the browser.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post('/v1/sessions', {
    config: { keyOnly: true },
    schema: {
      tags: ['sessions'],
      summary: 'Sign in through the console: exchange the Bearer key for a session id (console only)',
      response: {
        201: Type.Object({ session: Type.String(), expiresAt: Type.String(), idleTimeoutSeconds: Type.Integer(), actor: Type.String(), role: Role }),
        ...errors,
      },
    },
    handler: async (req, reply) => {
      if (!req.fromConsole) throw new ApiError(403, 'forbidden', 'Sessions are opened by the console only.');
      const created = await services.sessions.create(req.principal);
      return reply.code(201).send({
        session: created.session,
        expiresAt: created.expiresAt.toISOString(),
        idleTimeoutSeconds: created.idleTimeoutS,
        actor: req.principal.actor,
        role: req.principal.role,
      });
    },
  });

  app.delete('/v1/sessions/current', {
    schema: { tags: ['sessions'], summary: 'Sign out: end the calling session', response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      const id = req.principal.sessionId;
      if (id === null) throw new ApiError(400, 'invalid_request', 'This request was not made with a session.');
      await services.sessions.end(id);
      await services.revocations.publish({ sessionId: id });
      return reply.code(204).send(null);
    },
  });

  app.get('/v1/sessions', {
    config: { minRole: 'admin' },
    schema: { tags: ['sessions'], summary: 'Open console sessions', response: { 200: Type.Object({ items: Type.Array(SessionView) }), ...errors } },
    handler: async () => ({
      items: (await services.sessions.list()).map((s) => ({
        id: s.id,
        actor: s.actor,
        keyId: s.keyId,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        idleTimeoutSeconds: s.idleTimeoutS,
      })),
    }),
  });

  app.delete('/v1/sessions/:id', {
    config: { minRole: 'admin' },
    schema: { tags: ['sessions'], summary: 'End one console session', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      if (!(await services.sessions.end(req.params.id))) throw notFound(`Session ${req.params.id}`);
      const em = services.orm.em.fork();
      audit(em, { actor: req.principal.actor, action: 'session.revoke', after: { session: req.params.id } });
      await em.flush();
      await services.revocations.publish({ sessionId: req.params.id });
      return reply.code(204).send(null);
    },
  });
};
