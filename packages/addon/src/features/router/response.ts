import type { ApiFailure } from '../api/api-error.js';

/** Every answer of the background to a page: the data, or why not. */
export type AddonResponse<T> = { ok: true; data: T } | { ok: false; failure: ApiFailure | { kind: 'invalid-request'; detail: string } };
