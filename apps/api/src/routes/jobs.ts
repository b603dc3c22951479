import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateJobBody, JobDefinitionDto, JobKindSchema, NextRunsResponse, UpdateJobBody, scheduleIdFor } from '@timekeeper/contracts';
import { slotScheduleOf } from '@timekeeper/scheduling';
import { ApiError } from '../errors';
import { toDto } from '../services/job-mapper';
import { JOB_SORTS } from '../services/job-queries';
import type { Services } from '../services';
import { PLAN_CALLS, temporalCall } from '../services/temporal-call';
import { errors, KeyParams } from './schemas';

const JobList = Type.Object({ items: Type.Array(JobDefinitionDto), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** CRUD on job definitions, and their next fire times. */
export const jobRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { jobs, commands, planner, temporal, config } = services;

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
      response: { 200: NextRunsResponse, ...errors },
    },
    handler: async (req) => {
      const job = await jobs.get(req.params.key);
      // The same planner that wrote the job's schedules: these are the slots they start (nominal times).
      // In step and without jitter, the live main schedule is the throwaway copy the planner would make.
      const live = job.syncStatus === 'synced' && job.jitterMs === 0 ? { scheduleId: scheduleIdFor(job.key) } : {};
      // Bounded like the syncer's planning (it may probe Temporal's zone data); a 503 if Temporal fails.
      const items = await temporalCall(temporal, PLAN_CALLS * config.TEMPORAL_CALL_TIMEOUT_MS, () =>
        planner.expectedSlots(slotScheduleOf(job), { from: new Date(), count: req.query.count }, live),
      );
      return {
        source: job.syncStatus === 'synced' ? ('schedule' as const) : ('preview' as const),
        timeBasis: job.cron ? ('wall-clock' as const) : ('absolute' as const),
        items,
      };
    },
  });
};
