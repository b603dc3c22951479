import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, JOB_KEY_PATTERN, RetryRunBody, RetryRunResult, RunPageSchema, SLOT_STATUSES, SupersededConflictSchema } from '@timekeeper/contracts';
import { badRequest } from '../errors';
import type { RunQuery, RunStatus } from '../services/runs';
import type { Services } from '../services';
import { errors, KeyParams } from './schemas';

// Comma-separated lists, so one request covers any number of jobs (a whole timeline) or statuses.
const KEY = JOB_KEY_PATTERN.slice(1, -1);
const STATUS = `(?:${SLOT_STATUSES.join('|')})`;
const MAX_JOBS = 500;
const RunFilters = {
  status: Type.Optional(Type.String({ pattern: `^${STATUS}(?:,${STATUS})*$`, maxLength: 200, description: 'One status or several, comma-separated' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Nominal time at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Nominal time before (default: now; later to list planned slots ahead)' })),
  order: Type.Optional(Type.Union([Type.Literal('desc'), Type.Literal('asc')], { description: 'By nominal time (default desc)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};
const WorkflowParams = Type.Object({ workflowId: Type.String({ pattern: '^tk-[A-Za-z0-9:._+-]{1,200}$' }) });

function toQuery(q: { status?: string; from?: string; to?: string; order?: 'asc' | 'desc'; limit?: number; cursor?: string }, job?: string): RunQuery {
  const jobs = job?.split(',');
  if (jobs && jobs.length > MAX_JOBS) throw badRequest(`at most ${MAX_JOBS} jobs per request`, [{ field: 'job', message: `at most ${MAX_JOBS} keys` }]);
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  if (from && to && !(from < to)) throw badRequest('"from" must be before "to"', [{ field: 'to', message: 'must be after from' }]);
  return {
    job: jobs && jobs.length > 1 ? jobs : jobs?.[0],
    status: q.status ? (q.status.split(',') as RunStatus[]) : undefined,
    from,
    to,
    order: q.order,
    limit: q.limit,
    cursor: q.cursor,
  };
}

/** Runs (workflow executions started for jobs), and the two run actions. */
export const runRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { runs, jobs } = services;

  app.get('/v1/runs', {
    schema: {
      tags: ['runs'],
      querystring: Type.Object(
        { job: Type.Optional(Type.String({ pattern: `^${KEY}(?:,${KEY})*$`, maxLength: 65 * MAX_JOBS + 65, description: 'One job key or several, comma-separated' })), ...RunFilters },
        { additionalProperties: false },
      ),
      response: { 200: RunPageSchema, ...errors },
    },
    handler: async (req) => runs.list(toQuery(req.query, req.query.job)),
  });

  app.get('/v1/jobs/:key/runs', {
    schema: {
      tags: ['runs'],
      params: KeyParams,
      querystring: Type.Object(RunFilters, { additionalProperties: false }),
      response: { 200: RunPageSchema, ...errors },
    },
    handler: async (req) => {
      // A page with rows names a job with history: only an empty one needs the check (one round trip
      // per request instead of two on the busiest listing).
      const page = await runs.list(toQuery(req.query, req.params.key));
      if (page.items.length === 0) await jobs.mustHaveRuns(req.params.key);
      return page;
    },
  });

  app.post('/v1/runs/:workflowId/cancel', {
    config: { minRole: 'operator' },
    schema: { tags: ['runs'], params: WorkflowParams, response: { 202: Type.Object({ cancelRequested: Type.Boolean() }), ...errors } },
    handler: async (req, reply) => {
      await runs.cancel(req.params.workflowId);
      await services.commands.recordRunAction(req.principal.actor, 'run.cancel', req.params.workflowId);
      return reply.code(202).send({ cancelRequested: true });
    },
  });

  app.post('/v1/runs/:workflowId/retry', {
    config: { minRole: 'operator' },
    schema: {
      tags: ['runs'],
      params: WorkflowParams,
      body: RetryRunBody,
      response: { 202: RetryRunResult, ...errors, 409: Type.Union([SupersededConflictSchema, ErrorBody]) },
    },
    // The body is optional: none means no confirmation.
    preValidation: async (req) => {
      req.body ??= {};
    },
    handler: async (req, reply) => {
      const started = await runs.retry(req.params.workflowId, { confirmSuperseded: req.body.confirmSuperseded });
      await services.commands.recordRunAction(req.principal.actor, 'run.retry', req.params.workflowId, started);
      return reply.code(202).send(started);
    },
  });
};
