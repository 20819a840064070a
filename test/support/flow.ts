import { createHash, randomBytes } from 'node:crypto';
import type { TestBrowser, Page } from './browser.js';
import { ALICE, CALLBACK, WEB_SECRET } from './provider-fixture.js';

/** A PKCE pair (RFC 7636 4.1, 4.2). */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(issuer: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${issuer}/authorize`);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/** Parameters of a valid request for the `web` client, to be overridden per test. */
export function webRequest(challenge: string, overrides: Record<string, string | undefined> = {}) {
  return {
    client_id: 'web',
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid profile email',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
}

export function isLoginPage(page: Page): boolean {
  return /name="password"/.test(page.html);
}

export function isConsentPage(page: Page): boolean {
  return /name="decision"/.test(page.html);
}

/**
 * Drives the browser from an authorization URL to the client's redirect_uri: signs in when the
 * login page shows, allows when the consent page shows. Returns the callback URL.
 */
export async function signIn(
  browser: TestBrowser,
  url: string,
  options: { user?: { email: string; password: string }; stopAt?: string } = {},
): Promise<{ callback: URL; sawLogin: boolean; sawConsent: boolean }> {
  const stopAt = options.stopAt ?? CALLBACK;
  const user = options.user ?? ALICE;
  let page = await browser.navigate(url, stopAt);
  let sawLogin = false;
  let sawConsent = false;
  if (isLoginPage(page)) {
    sawLogin = true;
    page = await browser.submit(page, { username: user.email, password: user.password }, stopAt);
  }
  if (isConsentPage(page)) {
    sawConsent = true;
    page = await browser.submit(page, {}, stopAt, { name: 'decision', value: 'allow' });
  }
  if (!page.redirectedTo)
    throw new Error(
      `did not reach the client (status ${page.status}):\n${page.html.slice(0, 600)}`,
    );
  return { callback: new URL(page.redirectedTo), sawLogin, sawConsent };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** POST /token with a form body, as the `web` client (client_secret_basic) unless told otherwise. */
export async function tokenRequest(
  issuer: string,
  form: Record<string, string | undefined>,
  headers: Record<string, string> = { authorization: basic('web', WEB_SECRET) },
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value !== undefined) body.set(name, value);
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: body.toString(),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

/** A completed login for `web`: the code exchange's token response. */
export async function loginTokens(
  browser: TestBrowser,
  issuer: string,
  overrides: Record<string, string | undefined> = {},
) {
  const { verifier, challenge } = pkce();
  const { callback } = await signIn(
    browser,
    authorizeUrl(issuer, webRequest(challenge, overrides)),
  );
  const code = callback.searchParams.get('code')!;
  const response = await tokenRequest(issuer, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    code_verifier: verifier,
  });
  if (response.status !== 200)
    throw new Error(`token request failed: ${JSON.stringify(response.body)}`);
  return { ...response.body, code, verifier } as {
    access_token: string;
    id_token?: string;
    refresh_token?: string;
    code: string;
    verifier: string;
  };
}
