import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { JobStatsSchema } from '@timekeeper/contracts';
import { badRequest } from '../errors';
import { jobStats } from '../services/job-stats';
import type { Services } from '../services';
import { errors, KeyParams } from './schemas';

const MAX_DAYS = 3_660;
const DAY = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC day, YYYY-MM-DD' });

/** Slot verdicts and durations per day over long ranges, from the daily roll-ups. */
export const jobStatsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/v1/jobs/:key/stats', {
    schema: {
      tags: ['runs'],
      summary: 'Per UTC day in [from, to): slot count per verdict and p50/p95 run duration (roll-ups for past days, the ledger for recent ones)',
      params: KeyParams,
      querystring: Type.Object({ from: DAY, to: DAY }, { additionalProperties: false }),
      response: { 200: JobStatsSchema, ...errors },
    },
    handler: async (req) => {
      const { from, to } = req.query;
      for (const [field, value] of [['from', from], ['to', to]] as const) {
        const t = Date.parse(`${value}T00:00:00Z`);
        if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== value) throw badRequest(`${field} is not a calendar day`, [{ field, message: 'not a calendar day (YYYY-MM-DD)' }]);
      }
      const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
      if (days <= 0) throw badRequest('to must be after from', [{ field: 'to', message: 'must be after from' }]);
      if (days > MAX_DAYS) throw badRequest(`at most ${MAX_DAYS} days at once`, [{ field: 'to', message: `range is ${days} days; at most ${MAX_DAYS}` }]);
      await services.jobs.mustExist(req.params.key);
      return jobStats(services.orm, req.params.key, from, to);
    },
  });
};
