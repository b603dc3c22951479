import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ApiKey } from '@timekeeper/db';
import { notFound } from '../errors';
import { audit } from '../services/audit';
import { createApiKey } from '../services/api-keys';
import type { Services } from '../services';
import { errors } from './schemas';

const Role = Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]);
const KeyView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  role: Role,
  createdBy: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const view = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  createdBy: k.createdBy,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/** Who am I (any key), and key management (admin). The secret is shown once, at creation. */
export const keyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/v1/me', {
    schema: { tags: ['keys'], response: { 200: Type.Object({ actor: Type.String(), role: Role }), ...errors } },
    handler: async (req) => ({ actor: req.principal.actor, role: req.principal.role }),
  });

  app.get('/v1/keys', {
    config: { minRole: 'admin' },
    schema: { tags: ['keys'], response: { 200: Type.Object({ items: Type.Array(KeyView) }), ...errors } },
    handler: async () => ({ items: (await services.orm.em.fork().find(ApiKey, {}, { orderBy: { id: 'asc' } })).map(view) }),
  });

  app.post('/v1/keys', {
    config: { minRole: 'admin' },
    schema: {
      tags: ['keys'],
      body: Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9 ._-]{1,100}$' }), role: Role }, { additionalProperties: false }),
      response: { 201: Type.Object({ key: Type.String(), apiKey: KeyView }), ...errors },
    },
    handler: async (req, reply) => {
      const em = services.orm.em.fork();
      const created = await em.transactional(async (tx) => {
        const result = await createApiKey(tx, { ...req.body, createdBy: req.principal.actor });
        audit(tx, { actor: req.principal.actor, action: 'key.create', after: { name: req.body.name, role: req.body.role, prefix: result.row.prefix } });
        return result;
      });
      return reply.code(201).send({ key: created.key, apiKey: view(created.row) });
    },
  });

  app.delete('/v1/keys/:id', {
    config: { minRole: 'admin' },
    schema: { tags: ['keys'], params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: KeyView, ...errors } },
    handler: async (req) => {
      const revoked = await services.orm.em.fork().transactional(async (tx) => {
        const key = await tx.findOne(ApiKey, { id: req.params.id });
        if (!key) throw notFound(`API key ${req.params.id}`);
        key.revokedAt ??= new Date();
        // Its console sessions end with it, in the same transaction.
        const sessions = await services.sessions.endForKey(tx, key.id);
        audit(tx, { actor: req.principal.actor, action: 'key.revoke', after: { name: key.name, prefix: key.prefix, sessionsEnded: sessions } });
        return view(key);
      });
      // Open event streams of this key (direct or through a session), on every API process, close now.
      await services.revocations.publish({ keyId: revoked.id });
      return revoked;
    },
  });
};
