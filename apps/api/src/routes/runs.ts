import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody, JOB_KEY_PATTERN, RetryRunBody, RetryRunResult, RunPageSchema, SLOT_STATUSES, SupersededConflictSchema } from '@timekeeper/contracts';
import type { RunQuery } from '../services/runs';
import type { Services } from '../services';
import { errors, KeyParams } from './schemas';

const RunFilters = {
  status: Type.Optional(Type.Union(SLOT_STATUSES.map((s) => Type.Literal(s)))),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};
const WorkflowParams = Type.Object({ workflowId: Type.String({ pattern: '^tk-[A-Za-z0-9:._+-]{1,200}$' }) });

function toQuery(q: { status?: string; from?: string; to?: string; limit?: number; cursor?: string }, job?: string): RunQuery {
  return {
    job,
    status: q.status as RunQuery['status'],
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
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
      querystring: Type.Object({ job: Type.Optional(Type.String({ pattern: JOB_KEY_PATTERN })), ...RunFilters }, { additionalProperties: false }),
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
      await jobs.get(req.params.key);
      return runs.list(toQuery(req.query, req.params.key));
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
