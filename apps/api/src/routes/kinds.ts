import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { JOB_KINDS, SLOT_ORDERS } from '@timekeeper/contracts';

/** The job kinds with their params JSON Schemas (so the console can generate the params form) and slot order. */
export const kindRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/kinds', {
    schema: {
      tags: ['jobs'],
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ kind: Type.String(), title: Type.String(), slotOrder: Type.Union(SLOT_ORDERS.map((o) => Type.Literal(o))), params: Type.Unknown() })) }) },
    },
    handler: async () => ({
      items: Object.entries(JOB_KINDS).map(([kind, k]) => ({ kind, title: k.title, slotOrder: k.slotOrder, params: JSON.parse(JSON.stringify(k.params)) as unknown })),
    }),
  });
};
