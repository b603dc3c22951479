import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN, parseDuration } from '@timekeeper/contracts';
import { previewFireTimes } from '@timekeeper/scheduling';
import { badRequest } from '../errors';
import { validateSchedule } from '../services/job-validation';
import type { Services } from '../services';
import { errors, FireTimeSchema } from './schemas';

/** Validation and fire times for a schedule that is not saved: the edit form calls this as you type. */
export const scheduleRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post('/v1/schedules/preview', {
    // Each call creates and deletes a Temporal schedule: the job form's and backfill dialog's users only, and counted.
    config: { minRole: 'operator', expensive: true },
    schema: {
      tags: ['schedules'],
      body: Type.Object(
        {
          cron: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
          interval: Type.Optional(Type.String({ pattern: DURATION_PATTERN })),
          timezone: Type.String({ default: 'UTC', maxLength: 64 }),
          count: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
          from: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ valid: Type.Boolean(), items: Type.Array(FireTimeSchema) }), ...errors },
    },
    handler: async (req) => {
      const details: { field: string; message: string }[] = [];
      validateSchedule(req.body, details, '');
      if (details.length) throw badRequest(`Invalid schedule: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
      const items = await previewFireTimes(services.temporal, {
        cron: req.body.cron,
        intervalMs: req.body.interval ? parseDuration(req.body.interval) : undefined,
        timezone: req.body.timezone,
        count: req.body.count,
        from: req.body.from ? new Date(req.body.from) : undefined,
        taskQueue: services.config.TEMPORAL_TASK_QUEUE,
        instance: services.instance,
      });
      return { valid: true, items };
    },
  });
};
