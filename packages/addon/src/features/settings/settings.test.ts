import { describe, expect, it } from 'vitest';
import { FakeMessenger } from '../../../test/fake-messenger.js';
import { defaultSettings, isConfigured, loadSettings, originPermission, parseApiAddress, saveSettings } from './settings.js';

describe('API address', () => {
  it.each([
    [
      'https://orders.example.com/',
      { ok: true, baseUrl: 'https://orders.example.com', origin: 'https://orders.example.com', local: false },
    ],
    ['orders.example.com', { ok: true, baseUrl: 'https://orders.example.com', local: false }],
    ['https://example.com/orderpost/api/', { ok: true, baseUrl: 'https://example.com/orderpost/api' }],
    ['http://localhost:3000', { ok: true, baseUrl: 'http://localhost:3000', origin: 'http://localhost:3000', local: true }],
    ['http://127.0.0.1:8080/', { ok: true, baseUrl: 'http://127.0.0.1:8080', local: true }],
    ['http://orders.example.com', { ok: false, problem: 'insecure' }],
    ['http://192.168.1.10:3000', { ok: false, problem: 'insecure' }],
    ['', { ok: false, problem: 'missing' }],
    ['ftp://example.com', { ok: false, problem: 'invalid' }],
    ['https://user:pw@example.com', { ok: false, problem: 'invalid' }],
    ['https://exa mple.com', { ok: false, problem: 'invalid' }],
  ])('%s', (input, expected) => {
    expect(parseApiAddress(input)).toMatchObject(expected);
  });

  it('asks for the host, whatever the port', () => {
    expect(originPermission('https://orders.example.com:8443')).toBe('https://orders.example.com/*');
    expect(originPermission('http://localhost:3000')).toBe('http://localhost/*');
  });
});

describe('stored settings', () => {
  it('defaults when nothing or something malformed is stored, and round-trips what was saved', async () => {
    const messenger = new FakeMessenger();
    expect(await loadSettings(messenger)).toEqual(defaultSettings);
    messenger.store.settings = { apiUrl: 42, language: 'xx' };
    expect(await loadSettings(messenger)).toEqual(defaultSettings);
    const saved = { apiUrl: 'https://orders.example.com', token: 't', language: 'de' as const, tagMessages: true };
    await saveSettings(messenger, saved);
    expect(await loadSettings(messenger)).toEqual(saved);
    expect(isConfigured(saved)).toBe(true);
    expect(isConfigured({ ...saved, token: ' ' })).toBe(false);
  });
});
