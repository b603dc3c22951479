import { Type } from '@sinclair/typebox';
import { ErrorBody, JOB_KEY_PATTERN } from '@timekeeper/contracts';

export const KeyParams = Type.Object({ key: Type.String({ pattern: JOB_KEY_PATTERN }) });
/** The numeric id of a stored row (routing rules, maintenance windows). */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

/** Error responses every route may give, so the OpenAPI document lists them. */
export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody };
