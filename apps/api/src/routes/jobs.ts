import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateJobBody, JOB_KEY_PATTERN, JobDefinitionDto, JobKindSchema, NEXT_RUNS_MAX_JOBS, NextRunsOfJobsResponse, NextRunsResponse, UpdateJobBody } from '@timekeeper/contracts';
import { ApiError } from '../errors';
import { toDto } from '../services/job-mapper';
import { JOB_SORTS } from '../services/job-queries';
import type { Services } from '../services';
import { errors, KeyParams } from './schemas';

const NextRunsCount = Type.Integer({ minimum: 1, maximum: 200, default: 10 });
const JobList = Type.Object({ items: Type.Array(JobDefinitionDto), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** CRUD on job definitions, and their next fire times. */
export const jobRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { jobs, commands, nextRuns } = services;

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
      querystring: Type.Object({ count: NextRunsCount }, { additionalProperties: false }),
      response: { 200: NextRunsResponse, ...errors },
    },
    handler: async (req) => nextRuns.of(await jobs.get(req.params.key), req.query.count),
  });

  // The job list and the timeline name every job they show: one request, counted once against the
  // expensive-route budget (the per-job answers are cached, see NextRuns).
  app.get('/v1/next-runs', {
    config: { expensive: true },
    schema: {
      tags: ['jobs'],
      querystring: Type.Object(
        {
          key: Type.Array(Type.String({ pattern: JOB_KEY_PATTERN }), { minItems: 1, maxItems: NEXT_RUNS_MAX_JOBS, uniqueItems: true, description: 'Repeat for each job' }),
          count: NextRunsCount,
        },
        { additionalProperties: false },
      ),
      response: { 200: NextRunsOfJobsResponse, ...errors },
    },
    handler: async (req) => {
      const found = new Map((await jobs.getMany(req.query.key)).map((j) => [j.key, j]));
      const live = req.query.key.flatMap((k) => found.get(k) ?? []);
      const answers = await nextRuns.ofMany(live, req.query.count);
      return { jobs: live.map((j, i) => ({ key: j.key, ...answers[i] })), missing: req.query.key.filter((k) => !found.has(k)) };
    },
  });
};
