import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN, MISSING_WALL_TIMES, parseDuration, REPEATED_WALL_TIMES, SchedulePreviewResponse } from '@timekeeper/contracts';
import { previewSlots } from '@timekeeper/scheduling';
import { badRequest } from '../errors';
import { validateSchedule } from '../services/job-validation';
import type { Services } from '../services';
import { PLAN_CALLS, temporalCall } from '../services/temporal-call';
import { errors } from './schemas';

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
          repeatedWallTime: Type.Optional(Type.Union(REPEATED_WALL_TIMES.map((p) => Type.Literal(p)))),
          missingWallTime: Type.Optional(Type.Union(MISSING_WALL_TIMES.map((p) => Type.Literal(p)))),
          count: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
          from: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false },
      ),
      response: { 200: SchedulePreviewResponse, ...errors },
    },
    handler: async (req) => {
      const details: { field: string; message: string }[] = [];
      validateSchedule(req.body, details, '', req.body);
      if (details.length) throw badRequest(`Invalid schedule: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
      // Bounded like the syncer's planning (it may probe Temporal's zone data); a 503 if Temporal fails.
      const items = await temporalCall(services.temporal, PLAN_CALLS * services.config.TEMPORAL_CALL_TIMEOUT_MS, () =>
        previewSlots(services.planner, {
          cron: req.body.cron,
          intervalMs: req.body.interval ? parseDuration(req.body.interval) : undefined,
          timezone: req.body.timezone,
          dst: { repeated: req.body.repeatedWallTime ?? 'first', missing: req.body.missingWallTime ?? 'shift' },
          count: req.body.count,
          from: req.body.from ? new Date(req.body.from) : undefined,
        }),
      );
      return { valid: true, timeBasis: req.body.cron ? ('wall-clock' as const) : ('absolute' as const), items };
    },
  });
};
