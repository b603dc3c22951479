import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ALERT_SEVERITIES, AlertDto, AlertKindSchema, AlertPageSchema, AlertStatusSchema, JOB_KEY_PATTERN } from '@timekeeper/contracts';
import type { Services } from '../services';
import { AlertsService } from '../services/alerts';
import { errors, IdParams, Note } from './schemas';

/** Alerts: list with filters, acknowledge and resolve (operator, audited). */
export const alertRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const alerts = new AlertsService(services.orm, services.config.KAFKA_TOPIC_ALERTS);

  app.get('/v1/alerts', {
    schema: {
      tags: ['alerts'],
      querystring: Type.Object(
        {
          job: Type.Optional(Type.String({ pattern: JOB_KEY_PATTERN })),
          kind: Type.Optional(AlertKindSchema),
          severity: Type.Optional(Type.Union(ALERT_SEVERITIES.map((v) => Type.Literal(v)))),
          status: Type.Optional(AlertStatusSchema),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Slot at or after' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'Slot before' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: AlertPageSchema, ...errors },
    },
    handler: async (req) => {
      const q = req.query;
      return alerts.list({ ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
    },
  });

  app.get('/v1/alerts/:id', {
    schema: { tags: ['alerts'], params: IdParams, response: { 200: AlertDto, ...errors } },
    handler: async (req) => alerts.get(req.params.id),
  });

  app.post('/v1/alerts/:id/ack', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: AlertDto, ...errors } },
    handler: async (req) => alerts.acknowledge(req.params.id, req.principal.actor, req.body?.note ?? null),
  });

  app.post('/v1/alerts/:id/resolve', {
    config: { minRole: 'operator' },
    schema: { tags: ['alerts'], params: IdParams, body: Type.Optional(Note), response: { 200: AlertDto, ...errors } },
    handler: async (req) => alerts.resolve(req.params.id, req.principal.actor, req.body?.note ?? null),
  });
};
