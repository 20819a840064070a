import assert from 'node:assert/strict';
import { TestBrowser, parseForm, type Page } from '../support/browser.js';
import { isLoginPage } from '../support/flow.js';

/** Where navigation never stops: these pages redirect only to the server itself. */
export const NOWHERE = 'http://nowhere.invalid/';

export type Lang = 'en' | 'de';

/** The form posting to `action` on `page`: its action and every input's value. */
export function formTo(page: Page, action: string): ReturnType<typeof parseForm> {
  for (const match of page.html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)) {
    const form = parseForm(match[0]);
    if (form.action === action) return form;
  }
  throw new Error(`no form to ${action} on ${page.url}:\n${page.html.slice(0, 600)}`);
}

/** A browser whose reader reads `lang` (Accept-Language on every request, redirects too). */
export class Reader extends TestBrowser {
  readonly #lang: Lang;

  constructor(from: string | undefined, lang: Lang = 'en') {
    super(from ? { from } : {});
    this.#lang = lang;
  }

  override request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept-language', this.#lang);
    return super.request(url, { ...init, headers });
  }
}

export function open(browser: TestBrowser, url: string): Promise<Page> {
  return browser.navigate(url, NOWHERE);
}

/** Posts the form to `action` on `page`, with `values` over its own. */
export function post(
  browser: TestBrowser,
  page: Page,
  action: string,
  values: Record<string, string> = {},
): Promise<Page> {
  const form = formTo(page, action);
  return browser.navigate(new URL(form.action, page.url).href, NOWHERE, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...values }).toString(),
  });
}

/** Opens `issuer`'s /account, signs in with the password, and answers the account page. */
export async function signInToAccount(
  browser: TestBrowser,
  issuer: string,
  user: { email: string; password: string },
): Promise<Page> {
  const login = await open(browser, `${issuer}/account`);
  assert.ok(isLoginPage(login), 'not signed in: the login page');
  const page = await post(browser, login, '/account/sign-in', {
    username: user.email,
    password: user.password,
  });
  assert.equal(page.status, 200, page.html.slice(0, 500));
  assert.equal(new URL(page.url).pathname, '/account');
  return page;
}
