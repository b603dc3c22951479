import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { JOB_KEY_PATTERN } from '@timekeeper/contracts';
import { AuditEntry, type FilterQuery } from '@timekeeper/db';
import type { Services } from '../services';
import { errors } from './schemas';

const Entry = Type.Object({
  id: Type.Integer(),
  actor: Type.String(),
  action: Type.String(),
  jobKey: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

/** The audit trail, newest first, paged by id. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/v1/audit', {
    schema: {
      tags: ['audit'],
      querystring: Type.Object(
        {
          job: Type.Optional(Type.String({ pattern: JOB_KEY_PATTERN })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ items: Type.Array(Entry), nextCursor: Type.Union([Type.Integer(), Type.Null()]) }), ...errors },
    },
    handler: async (req) => {
      const limit = req.query.limit ?? 50;
      const where: FilterQuery<AuditEntry> = {};
      if (req.query.job) where.jobKey = req.query.job;
      if (req.query.cursor) where.id = { $lt: req.query.cursor };
      const rows = await services.orm.em.fork().find(AuditEntry, where, { orderBy: { id: 'desc' }, limit: limit + 1 });
      const items = rows.slice(0, limit).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
      return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
    },
  });
};
