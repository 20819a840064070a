import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { brandFromConfig, brandStyle } from '../src/views/branding.js';
import { contrastRatio, relativeLuminance, textOn } from '../src/views/contrast.js';
import { contentSecurityPolicy, loginPage, page, html, STYLE_HASH } from '../src/views/index.js';

const sha256Source = (text: string) =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('WCAG 2.2 contrast', () => {
  test('relative luminance and contrast ratio match the definitions', () => {
    assert.equal(relativeLuminance('#000000'), 0);
    assert.equal(relativeLuminance('#ffffff'), 1);
    assert.equal(contrastRatio('#000000', '#ffffff'), 21);
    assert.equal(contrastRatio('#777777', '#777777'), 1);
    // #767676 is the lightest grey with 4.5:1 on white, a well-known reference value.
    assert.ok(contrastRatio('#767676', '#ffffff') >= 4.5);
    assert.ok(contrastRatio('#777777', '#ffffff') < 4.5);
  });

  test('text on the primary colour is black or white, whichever contrasts more', () => {
    assert.equal(textOn('#2450d3'), '#ffffff');
    assert.equal(textOn('#0a7b4f'), '#ffffff');
    assert.equal(textOn('#ffd400'), '#000000');
    assert.equal(textOn('#7fdbff'), '#000000');
    for (const colour of ['#2450d3', '#ffd400', '#808080', '#e0115f', '#00ff00'])
      assert.ok(contrastRatio(colour, textOn(colour)) >= 4.5, colour);
  });
});

describe('branding', () => {
  test('no settings: no brand, the built-in page and policy', () => {
    const brand = brandFromConfig({
      brandName: undefined,
      brandLogoUrl: undefined,
      brandPrimaryColor: undefined,
    });
    assert.deepEqual(brand, {});
    assert.ok(!page({ title: 't', body: html``, brand }).includes('class="brand"'));
    assert.equal(contentSecurityPolicy({ brand }), contentSecurityPolicy());
  });

  test('name, logo and colour appear on the page, and the policy allows exactly them', () => {
    const brand = brandFromConfig({
      brandName: 'Acme <Login>',
      brandLogoUrl: 'https://cdn.example.com/acme.svg',
      brandPrimaryColor: '#ffd400',
    });
    const document = loginPage({
      clientName: 'App',
      interaction: 'i',
      csrf: 'c',
      action: '/login',
      brand,
    });
    assert.match(document, /<title>Sign in to App · Acme &lt;Login&gt;<\/title>/);
    assert.match(
      document,
      /<header class="brand"><img src="https:\/\/cdn.example.com\/acme.svg" alt=""><span>Acme &lt;Login&gt;<\/span><\/header>/,
    );
    const styles = [...document.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    assert.equal(styles.length, 2);
    assert.match(styles[1]!, /--accent: #ffd400; [^}]*--on-accent: #000000;/);
    const csp = contentSecurityPolicy({ brand });
    assert.match(
      csp,
      new RegExp(`style-src ${STYLE_HASH} ${sha256Source(styles[1]!)};`.replace(/[+/]/g, '\\$&')),
    );
    assert.match(csp, /img-src 'self' data: https:\/\/cdn\.example\.com;/);
  });

  test('a logo on this server needs no policy change; alone it still has a text alternative', () => {
    const brand = brandFromConfig({
      brandName: undefined,
      brandLogoUrl: '/static/logo.png',
      brandPrimaryColor: undefined,
    });
    assert.match(
      page({ title: 't', body: html``, brand }),
      /<img src="\/static\/logo.png" alt="Logo">/,
    );
    assert.match(contentSecurityPolicy({ brand }), /img-src 'self' data:;/);
  });

  test('a pale colour keeps links and focus rings readable on the light card, and a dark one on the dark card', () => {
    const pale = brandStyle('#ffd400').toString();
    const [light, dark] = pale.split('@media');
    // Yellow on white is unreadable: links take the text colour in the light scheme only.
    assert.match(light!, /--link: #1a1d23;/);
    assert.match(dark!, /--link: #ffd400;/);
    const deep = brandStyle('#1b2a4a').toString();
    const [deepLight, deepDark] = deep.split('@media');
    assert.match(deepLight!, /--link: #1b2a4a;/);
    assert.match(deepDark!, /--link: #e9ebef;/);
    assert.match(deepDark!, /--focus: #e9ebef;/);
  });
});
