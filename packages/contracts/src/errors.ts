import { Type, type Static } from '@sinclair/typebox';

/** Every 4xx/5xx body: a stable code, a sentence, and the fields at fault. */
export const ErrorBody = Type.Object({
  error: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});
export type ErrorBody = Static<typeof ErrorBody>;
