import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AlertPolicyDto, AlertPolicySettingsSchema, JobBaselineSchema, targetPatternOf } from '@timekeeper/contracts';
import { badRequest } from '../errors';
import type { Services } from '../services';
import { AlertPolicies } from '../services/alert-policies';
import { errors, KeyParams } from './schemas';

const PutBody = Type.Object(
  { settings: AlertPolicySettingsSchema, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const ScopedParams = Type.Object({ scope: Type.Union([Type.Literal('tag'), Type.Literal('job')]), target: Type.String({ minLength: 1, maxLength: 64 }) });

/** A tag or job key as its scope spells it (the schema cannot tie the pattern to the scope). */
function checkTarget(scope: 'tag' | 'job', target: string): void {
  if (!targetPatternOf(scope).test(target)) throw badRequest(`target is not a valid ${scope === 'job' ? 'job key' : 'tag'}`, [{ field: 'target', message: `is not a valid ${scope === 'job' ? 'job key' : 'tag'}` }]);
}

/** Alert policies (admin changes them, audited) and each job's duration baseline. */
export const alertPolicyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const policies = new AlertPolicies(services.orm);

  app.get('/v1/alert-policies', {
    schema: { tags: ['alerts'], response: { 200: Type.Object({ items: Type.Array(AlertPolicyDto) }), ...errors } },
    handler: async () => ({ items: await policies.list() }),
  });

  app.put('/v1/alert-policies/global', {
    config: { minRole: 'admin' },
    schema: { tags: ['alerts'], body: PutBody, response: { 200: AlertPolicyDto, ...errors } },
    handler: async (req) => policies.put('global', '', req.body.settings, req.principal.actor, req.body.note ?? null),
  });

  app.delete('/v1/alert-policies/global', {
    config: { minRole: 'admin' },
    schema: { tags: ['alerts'], response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      await policies.remove('global', '', req.principal.actor);
      return reply.code(204).send(null);
    },
  });

  app.put('/v1/alert-policies/:scope/:target', {
    config: { minRole: 'admin' },
    schema: { tags: ['alerts'], params: ScopedParams, body: PutBody, response: { 200: AlertPolicyDto, ...errors } },
    handler: async (req) => {
      checkTarget(req.params.scope, req.params.target);
      return policies.put(req.params.scope, req.params.target, req.body.settings, req.principal.actor, req.body.note ?? null);
    },
  });

  app.delete('/v1/alert-policies/:scope/:target', {
    config: { minRole: 'admin' },
    schema: { tags: ['alerts'], params: ScopedParams, response: { 204: Type.Null(), ...errors } },
    handler: async (req, reply) => {
      checkTarget(req.params.scope, req.params.target);
      await policies.remove(req.params.scope, req.params.target, req.principal.actor);
      return reply.code(204).send(null);
    },
  });

  app.get('/v1/jobs/:key/baseline', {
    schema: { tags: ['alerts'], params: KeyParams, response: { 200: JobBaselineSchema, ...errors } },
    handler: async (req) => policies.baselineOf(req.params.key),
  });
};
