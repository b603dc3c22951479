import { isApiError, type ApiError } from '../api/http';
import { SLOT_SUPERSEDED_ERROR } from '../contract-values';

/**
 * The API started nothing because the slots are older than the job's newest committed slot (a
 * latest-state job); its message says which, and the same request with confirmSuperseded goes ahead.
 */
export const isSupersededRefusal = (err: unknown): err is ApiError => isApiError(err, 409) && err.code === SLOT_SUPERSEDED_ERROR;
