import { describe, expect, it } from 'vitest';
import { canonicalEmail, emailDomain, normalizeEmail, relayIdentity, relayMarketplace } from './email.js';

describe('normalizeEmail', () => {
  it.each([
    ['Ewa.Lewandowska@Example.PL', 'ewa.lewandowska@example.pl'],
    ['  <Jan@Example.com> ', 'jan@example.com'],
    ['jan+shop@example.com', 'jan+shop@example.com'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });
});

describe('canonicalEmail', () => {
  it.each([
    ['katarzynanowak@gmail.com', 'katarzynanowak@gmail.com'],
    ['Katarzyna.Nowak@gmail.com', 'katarzynanowak@gmail.com'],
    ['k.a.t.a.r.z.y.n.a.nowak+sklep@googlemail.com', 'katarzynanowak@gmail.com'],
    // Other providers may treat dots and tags as different mailboxes; relays rely on tags.
    ['jan.kowalski+sklep@example.pl', 'jan.kowalski+sklep@example.pl'],
    ['8f3k2j1h+a1b2c3@AllegroMail.pl', '8f3k2j1h+a1b2c3@allegromail.pl'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalEmail(input)).toBe(expected);
  });
});

describe('relayIdentity', () => {
  it.each([
    ['8f3k2j1h+a1b2c3@allegromail.pl', '8f3k2j1h@allegromail.pl'],
    ['8F3K2J1H+ZZ9@allegromail.pl', '8f3k2j1h@allegromail.pl'],
    ['zz91kd+77aa88@allegromail.com', 'zz91kd@allegromail.com'],
    ['k7x9p2m4q1r8s5t@marketplace.amazon.de', 'k7x9p2m4q1r8s5t@marketplace.amazon.de'],
    ['abc123@marketplace.amazon.co.uk', 'abc123@marketplace.amazon.co.uk'],
    ['buyer1@members.ebay.com', 'buyer1@members.ebay.com'],
  ])('%s is a relay with buyer key %s', (input, expected) => {
    expect(relayIdentity(input)).toBe(expected);
  });

  it.each([
    'jan+a1@example.pl',
    'someone@allegromail.pl.evil.example',
    'notallegromail.pl@example.com',
    'seller@amazon.de',
    'x@ebay.com',
    'not an address',
  ])('%s is no relay', (input) => {
    expect(relayIdentity(input)).toBeNull();
  });

  it('names the marketplace of a relay domain', () => {
    expect(relayMarketplace('allegromail.pl')).toBe('allegro');
    expect(relayMarketplace('marketplace.amazon.fr')).toBe('amazon');
    expect(relayMarketplace('members.ebay.de')).toBe('ebay');
    expect(relayMarketplace('example.com')).toBeNull();
  });
});

describe('emailDomain', () => {
  it('returns the lower-cased domain or null', () => {
    expect(emailDomain('Jan@Mail.Example.PL')).toBe('mail.example.pl');
    expect(emailDomain('nobody')).toBeNull();
    expect(emailDomain('trailing@')).toBeNull();
  });
});
