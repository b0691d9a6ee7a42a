import type { ApiFailure } from '../features/api/api-error.js';
import { failureKey } from '../features/badge/badge.js';
import type { Translate } from '../features/i18n/translate.js';
import type { AddonResponse } from '../features/router/response.js';

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatMoney(amount: string, currency: string, language: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency }).format(value);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A failure as one sentence for the seller (the API's own message added for refused requests). */
export function describeFailure(failure: Extract<AddonResponse<unknown>, { ok: false }>['failure'], t: Translate): string {
  if (failure.kind === 'invalid-request') return t('stateRequestRefused');
  const sentence = t(failureKey(failure as ApiFailure));
  return failure.kind === 'http' && failure.status < 500 ? `${sentence}: ${failure.message}` : sentence;
}
