import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody } from '@timekeeper/contracts';
import { ScheduleInputError } from '@timekeeper/scheduling';

type Detail = { field: string; message: string };

/** A failure the client can act on: status, stable code, sentence, and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Detail[],
    /** More top-level fields of the body, for errors whose route declares them (e.g. slot_superseded). */
    readonly extra?: Record<string, unknown>,
    /** What went wrong underneath (a 503's raw dependency error): logged, never sent. */
    readonly cause?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: Detail[]) => new ApiError(400, 'invalid_request', message, details);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} does not exist`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
/** A dependency did not answer: the client learns which one, the log learns why. */
export const unavailable = (code: string, message: string, cause: unknown) => new ApiError(503, code, message, undefined, undefined, cause);

type AjvIssue = { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> };

/** Ajv's issues as field paths a person can read: "/schedule/cron" → "schedule.cron". */
function validationDetails(issues: AjvIssue[], context: string | undefined): Detail[] {
  return issues.map((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean);
    if (issue.keyword === 'required') path.push(String(issue.params.missingProperty));
    if (issue.keyword === 'additionalProperties') path.push(String(issue.params.additionalProperty));
    const field = path.join('.') || context || 'body';
    const message =
      issue.keyword === 'additionalProperties'
        ? 'unknown field'
        : issue.keyword === 'required'
          ? 'is required'
          : issue.keyword === 'pattern' && String(issue.params.pattern).includes('ms|s|m|h|d')
            ? 'must be a duration such as 90s, 10m or 2h'
            : (issue.message ?? 'is invalid');
    return { field, message };
  });
}

/** One error handler: 4xx say what is wrong; 5xx details stay in the log. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    let status: number;
    let body: ErrorBody;
    if (err instanceof ScheduleInputError) {
      status = 400;
      body = { error: 'invalid_schedule', message: err.message, details: [{ field: err.field, message: err.message }] };
    } else if (err instanceof ApiError) {
      status = err.statusCode;
      if (status >= 500) request.log.warn({ err: err.cause instanceof Error ? err.cause.message : String(err.cause), code: err.code }, err.message);
      body = { ...err.extra, error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
    } else if ((err as FastifyError).validation) {
      const details = validationDetails((err as FastifyError).validation as AjvIssue[], (err as FastifyError).validationContext);
      status = 400;
      body = { error: 'validation_failed', message: `Invalid request: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details };
    } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      status = (err as FastifyError).statusCode!;
      const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'invalid_request';
      body = { error: code, message: err.message };
    } else {
      request.log.error({ err }, 'unhandled error');
      status = 500;
      body = { error: 'internal', message: 'Something went wrong on our side; it has been logged.' };
    }
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` }),
  );
}
