import { describe, expect, it } from 'vitest';
import { translatorFrom } from '../i18n/translate.js';
import en from '../../../static/_locales/en/messages.json' with { type: 'json' };
import type { ApiFailure } from '../api/api-error.js';
import { badgeFor, failureKey } from './badge.js';

const t = translatorFrom(en);

describe('badge', () => {
  it.each<[ApiFailure, string]>([
    [{ kind: 'not-configured' }, 'stateNotConfigured'],
    [{ kind: 'no-permission', origin: 'https://orders.example.com' }, 'stateNoPermission'],
    [{ kind: 'unreachable', secure: false, detail: '' }, 'stateUnreachable'],
    [{ kind: 'unreachable', secure: true, detail: '' }, 'stateUnreachableSecure'],
    [{ kind: 'timeout', afterMs: 1 }, 'stateTimeout'],
    [{ kind: 'bad-token', code: 'TOKEN_INVALID' }, 'stateBadToken'],
    [{ kind: 'wrong-role', code: 'FORBIDDEN_ROLE' }, 'stateWrongRole'],
    [{ kind: 'invalid-response', status: 200, detail: '' }, 'stateInvalidResponse'],
    [{ kind: 'http', status: 503, code: 'DATABASE_UNAVAILABLE', message: '', requestId: null }, 'stateServerError'],
    [{ kind: 'http', status: 409, code: 'ORDER_ARCHIVED', message: '', requestId: null }, 'stateRequestRefused'],
  ])('%o is told as %s', (failure, key) => {
    expect(failureKey(failure)).toBe(key);
    expect(badgeFor({ state: 'failed', failure }, t)).toEqual({
      text: '!',
      title: `Orderpost: ${en[key as keyof typeof en].message}`,
      color: '#c62828',
    });
  });

  it('pending shows an ellipsis', () => {
    expect(badgeFor({ state: 'pending' }, t)).toMatchObject({ text: '…', title: 'Orderpost: looking for the order…' });
  });
});
