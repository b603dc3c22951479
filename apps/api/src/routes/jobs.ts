import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateJobBody, JobDefinitionDto, JobKindSchema, UpdateJobBody, scheduleIdFor } from '@timekeeper/contracts';
import { listFireTimes, previewFireTimes } from '@timekeeper/scheduling';
import { ApiError } from '../errors';
import { toDto } from '../services/job-mapper';
import { JOB_SORTS } from '../services/job-queries';
import type { Services } from '../services';
import { errors, FireTimeSchema, KeyParams } from './schemas';

const JobList = Type.Object({ items: Type.Array(JobDefinitionDto), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** CRUD on job definitions, and their next fire times. */
export const jobRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { jobs, commands, temporal, config } = services;

  app.get('/v1/jobs', {
    schema: {
      tags: ['jobs'],
      querystring: Type.Object(
        {
          tag: Type.Optional(Type.String({ maxLength: 40 })),
          kind: Type.Optional(JobKindSchema),
          paused: Type.Optional(Type.Boolean()),
          text: Type.Optional(Type.String({ maxLength: 100 })),
          sort: Type.Optional(Type.Union(JOB_SORTS.map((s) => Type.Literal(s)))),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.String({ maxLength: 500 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: JobList, ...errors },
    },
    handler: async (req) => {
      const page = await jobs.list(req.query);
      return { items: page.items.map(toDto), nextCursor: page.nextCursor };
    },
  });

  app.post('/v1/jobs', {
    config: { minRole: 'admin' },
    schema: { tags: ['jobs'], body: CreateJobBody, response: { 201: JobDefinitionDto, 202: JobDefinitionDto, ...errors } },
    handler: async (req, reply) => {
      const { job, synced } = await commands.create(req.body, req.principal.actor);
      return reply.code(synced ? 201 : 202).send(toDto(job));
    },
  });

  app.get('/v1/jobs/:key', {
    schema: { tags: ['jobs'], params: KeyParams, response: { 200: JobDefinitionDto, ...errors } },
    handler: async (req, reply) => {
      const job = await jobs.get(req.params.key);
      return reply.header('etag', `"${job.version}"`).send(toDto(job));
    },
  });

  app.patch('/v1/jobs/:key', {
    config: { minRole: 'admin' },
    schema: {
      tags: ['jobs'],
      params: KeyParams,
      headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
      body: UpdateJobBody,
      response: { 200: JobDefinitionDto, 202: JobDefinitionDto, 412: errors[400], 428: errors[400], ...errors },
    },
    handler: async (req, reply) => {
      const raw = req.headers['if-match'];
      if (!raw) throw new ApiError(428, 'precondition_required', 'Send If-Match: <version> (the version you edited) to change a job');
      const version = Number(raw.replace(/^W\//, '').replace(/"/g, ''));
      if (!Number.isInteger(version)) throw new ApiError(400, 'invalid_request', 'If-Match must be a job version number', [{ field: 'If-Match', message: 'not a version number' }]);
      const { job, synced } = await commands.update(req.params.key, version, req.body, req.principal.actor);
      return reply.code(synced ? 200 : 202).header('etag', `"${job.version}"`).send(toDto(job));
    },
  });

  app.delete('/v1/jobs/:key', {
    config: { minRole: 'admin' },
    schema: { tags: ['jobs'], params: KeyParams, response: { 204: Type.Null(), 202: Type.Object({ deleted: Type.Boolean(), syncStatus: Type.String() }), ...errors } },
    handler: async (req, reply) => {
      const { deleted } = await commands.remove(req.params.key, req.principal.actor);
      if (deleted) return reply.code(204).send(null);
      return reply.code(202).send({ deleted: false, syncStatus: 'pending' });
    },
  });

  app.get('/v1/jobs/:key/next-runs', {
    config: { expensive: true },
    schema: {
      tags: ['jobs'],
      params: KeyParams,
      querystring: Type.Object({ count: Type.Integer({ minimum: 1, maximum: 200, default: 10 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ source: Type.String(), items: Type.Array(FireTimeSchema) }), ...errors },
    },
    handler: async (req) => {
      const job = await jobs.get(req.params.key);
      // The live schedule's own matching when it is in step; otherwise a throwaway preview schedule.
      if (job.syncStatus === 'synced') {
        const items = await listFireTimes(temporal, {
          scheduleId: scheduleIdFor(job.key),
          timezone: job.timezone,
          cron: job.cron ?? undefined,
          jitterMs: job.jitterMs,
          count: req.query.count,
        });
        return { source: 'schedule', items };
      }
      const items = await previewFireTimes(temporal, {
        cron: job.cron ?? undefined,
        intervalMs: job.intervalMs ?? undefined,
        timezone: job.timezone,
        count: req.query.count,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        instance: services.instance,
      });
      return { source: 'preview', items };
    },
  });
};
