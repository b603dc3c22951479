import type { FastifyInstance } from 'fastify';
import fastJson from 'fast-json-stringify';

type Schema = { [key: string]: unknown };
const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean']);
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A response schema as the serializer needs it. fast-json-stringify writes an `anyOf` by validating the
 * value against each branch in turn (ajv, at run time), and TypeBox makes an `anyOf` of every literal
 * union (a status, a kind) and every `T | null`: hundreds of validations for a page of rows (measured:
 * a 200-run page serialized in about 30% less time without them; README, "Hot read paths"). Here a
 * union of literals of one type becomes that type, and `T | null` for a primitive or object T becomes
 * `type: [T, "null"]`, which the serializer writes with a typeof check. What is written is the
 * same; only the check that a literal is one of its values is gone, and the API's own code builds
 * every response from typed values. Fields a schema does not name are still dropped. Request
 * validation and the OpenAPI document keep the original schemas.
 */
export function forSerialization(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerialization);
  if (!isSchema(schema)) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'const' || k === 'default' || k === 'examples' ? v : forSerialization(v);
  const branches = out.anyOf;
  if (!Array.isArray(branches) || !branches.every(isSchema)) return out;
  const { anyOf: _anyOf, ...rest } = out;
  const types = new Set(branches.map((b) => b.type));
  if (branches.every((b) => 'const' in b) && types.size === 1 && PRIMITIVES.has(branches[0].type as string)) {
    return { ...rest, type: branches[0].type };
  }
  const value = branches.filter((b) => b.type !== 'null');
  if (branches.length === 2 && value.length === 1) {
    const [t] = value;
    const simple = typeof t.type === 'string' && (PRIMITIVES.has(t.type) || t.type === 'object') && !('anyOf' in t) && !('const' in t);
    if (simple) return { ...t, ...rest, type: [t.type, 'null'] };
  }
  return out;
}

/** Compiles every route's response schemas through forSerialization. */
export function registerResponseSerializer(app: FastifyInstance): void {
  app.setSerializerCompiler(({ schema }) => fastJson(forSerialization(schema) as Parameters<typeof fastJson>[0]));
}
