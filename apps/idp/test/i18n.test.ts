import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { de } from '../src/i18n/de.js';
import { en } from '../src/i18n/en.js';
import { messages, negotiateLocale, supportedLocale } from '../src/i18n/index.js';

describe('negotiateLocale', () => {
  test('OIDC Core 3.1.2.1 ui_locales: the first supported tag wins, over Accept-Language', () => {
    assert.equal(negotiateLocale({ uiLocales: ['de'], acceptLanguage: 'en' }), 'de');
    assert.equal(
      negotiateLocale({ uiLocales: ['fr-CA', 'de-AT', 'en'], acceptLanguage: 'en' }),
      'de',
    );
    assert.equal(negotiateLocale({ uiLocales: ['en'], acceptLanguage: 'de' }), 'en');
  });

  test('ui_locales with nothing supported fall through to Accept-Language', () => {
    assert.equal(negotiateLocale({ uiLocales: ['fr', 'ja'], acceptLanguage: 'de' }), 'de');
    assert.equal(negotiateLocale({ uiLocales: [], acceptLanguage: 'de' }), 'de');
  });

  test('RFC 9110 12.5.4 Accept-Language: the highest q-value wins, q=0 is "not acceptable"', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'en;q=0.5, de;q=0.9' }), 'de');
    assert.equal(negotiateLocale({ acceptLanguage: 'de;q=0.4, en;q=0.8' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, de;q=0.7, en;q=0.3' }), 'de');
    assert.equal(negotiateLocale({ acceptLanguage: 'de;q=0, en;q=0.1' }), 'en');
    // Equal weights: the order of the header decides.
    assert.equal(negotiateLocale({ acceptLanguage: 'de, en' }), 'de');
  });

  test('a regional tag matches its language (de-CH is German)', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'de-CH' }), 'de');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr-CH, de-DE;q=0.8, en;q=0.5' }), 'de');
  });

  test('unsupported, wildcard, empty or malformed input falls back to English', () => {
    assert.equal(negotiateLocale({}), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'fr, ja;q=0.5' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: '*' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: '' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: ';;;,q=,fr;q=abc' }), 'en');
    assert.equal(negotiateLocale({ uiLocales: ['', '--', 'x-klingon'] }), 'en');
  });
});

describe('supportedLocale (RFC 4647 3.4 lookup)', () => {
  test('cuts subtags from the end until one is supported, case-insensitively', () => {
    assert.equal(supportedLocale('DE-ch-1996'), 'de');
    assert.equal(supportedLocale('en-GB'), 'en');
    assert.equal(supportedLocale('fr'), undefined);
    assert.equal(supportedLocale('deu'), undefined);
  });
});

/** Every path to a leaf of a catalogue, with the leaf's kind. */
function leaves(value: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value))
      for (const [p, kind] of leaves(inner, `${path}.${key}`)) found.set(p, kind);
  } else found.set(path, typeof value);
  return found;
}

describe('catalogues', () => {
  test('German has exactly the English keys, each of the same kind (the type says so too)', () => {
    assert.deepEqual([...leaves(de)].sort(), [...leaves(en)].sort());
  });

  test('no German text is empty or left in English', () => {
    const same: string[] = [];
    for (const [path, kind] of leaves(en)) {
      if (kind !== 'string') continue;
      const pick = (catalogue: unknown) =>
        path
          .split('.')
          .slice(1)
          .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], catalogue);
      const german = pick(de) as string;
      assert.ok(german.trim() !== '' || pick(en) === german, `${path} is empty`);
      if (german === pick(en) && /[a-z]{4}/.test(german)) same.push(path);
    }
    // Words that are the same in both languages.
    const sameInBoth = [
      '.signUp.name',
      '.device.code',
      '.account.passkeys.title',
      '.account.passkeys.defaultName',
      '.account.profile.labels.website',
    ];
    assert.deepEqual(
      same.filter((p) => !sameInBoth.includes(p)),
      [],
    );
  });

  test('texts with values put them where each language needs them', () => {
    assert.equal(messages('en').consent.heading('Acme'), 'Acme wants to access your account');
    assert.equal(messages('de').consent.heading('Acme'), 'Acme möchte auf Ihr Konto zugreifen');
    assert.equal(messages('de').mail.duration(30), '30 Minuten');
    assert.equal(messages('de').mail.duration(60), '1 Stunde');
    assert.equal(messages('de').mail.duration(2880), '2 Tage');
    assert.equal(messages('en').mail.duration(1440), '1 day');
    assert.equal(messages('en').mail.duration(1), '1 minute');
  });

  test('the DESIGN.md page contract: the English reset link says "Forgot"', () => {
    assert.match(messages('en').login.forgot, /Forgot/);
  });

  test('the DESIGN.md page contract: the account page adds a passkey with a "passkey" button', () => {
    assert.match(messages('en').account.passkeys.add, /passkey/);
    assert.match(messages('de').account.passkeys.add, /passkey/i);
  });

  test('the account texts with values read naturally in German', () => {
    assert.equal(
      messages('de').account.oneTimeCodes.remaining('3'),
      'Sie haben 3 unbenutzte Wiederherstellungscodes.',
    );
    assert.equal(messages('de').account.apps.revokeLabel('Acme'), 'Acme widerrufen');
    assert.equal(
      messages('de').account.profile.rules.too_long(200),
      'Verwenden Sie höchstens 200 Zeichen.',
    );
  });
});
