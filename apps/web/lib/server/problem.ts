import type { FieldError } from '@/lib/api/http';

/** The console's own error answers, shaped like the API's: `{ error, message, details? }`. */
export function problem(status: number, error: string, message: string, details?: FieldError[], headers?: HeadersInit): Response {
  return Response.json({ error, message, ...(details ? { details } : {}) }, { status, headers });
}
