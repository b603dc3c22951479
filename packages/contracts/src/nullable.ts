import { Type, type TSchema } from '@sinclair/typebox';

/** `T | null` (internal to the contracts; not re-exported). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
