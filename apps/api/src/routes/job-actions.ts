import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BackfillBody, BackfillResult, ErrorBody, JobDefinitionDto, SupersededConflictSchema, TriggerJobBody, TriggerJobResult } from '@timekeeper/contracts';
import { toDto } from '../services/job-mapper';
import type { Services } from '../services';
import { errors, KeyParams, Note } from './schemas';

/** Operator actions on a job: pause, resume, run now, backfill. */
export const jobActionRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { commands } = services;
  const withState = { 200: JobDefinitionDto, 202: JobDefinitionDto, ...errors };

  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    app.post(`/v1/jobs/:key/${action}`, {
      config: { minRole: 'operator' },
      schema: { tags: ['actions'], params: KeyParams, body: Type.Optional(Note), response: withState },
      handler: async (req, reply) => {
        const { job, synced } = await commands.setPaused(req.params.key, paused, req.body?.note ?? null, req.principal.actor);
        return reply.code(synced ? 200 : 202).send(toDto(job));
      },
    });
  }

  app.post('/v1/jobs/:key/trigger', {
    config: { minRole: 'operator' },
    schema: {
      tags: ['actions'],
      params: KeyParams,
      body: Type.Optional(TriggerJobBody),
      response: { 202: TriggerJobResult, ...errors },
    },
    handler: async (req, reply) => {
      return reply.code(202).send(await commands.trigger(req.params.key, req.body?.overlap, req.principal.actor));
    },
  });

  app.post('/v1/jobs/:key/backfill', {
    config: { minRole: 'operator' },
    schema: {
      tags: ['actions'],
      params: KeyParams,
      body: BackfillBody,
      response: { 200: BackfillResult, 202: BackfillResult, ...errors, 409: Type.Union([SupersededConflictSchema, ErrorBody]) },
    },
    handler: async (req, reply) => {
      const { from, to, ...rest } = req.body;
      const result = await commands.backfill(req.params.key, { from: new Date(from), to: new Date(to), ...rest }, req.principal.actor);
      return reply.code(result.started ? 202 : 200).send(result);
    },
  });
};
