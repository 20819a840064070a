import { BENCH, serviceAuth, webAuth } from './fixture.js';
import type { HttpRequest, Load } from './load.js';

/** The endpoints a scenario calls, read from the server's discovery document. */
export interface Endpoints {
  readonly discovery: string;
  readonly jwks: string;
  readonly token: string;
  readonly userinfo: string;
  readonly introspection: string;
  readonly revocation: string;
}

/**
 * A server under test as the scenarios see it: where it is, which process to charge CPU time to,
 * and how to make the single-use items some scenarios consume. Every item is made through the
 * server itself or, for the peer, its Provider API (see peer.ts), before the timed window.
 */
export interface ServerTarget {
  /**
   * `workers`: our server in several worker processes on every core (`--workers`); `baseline`:
   * another built checkout of it (`--baseline`), for an A/B of a change.
   */
  readonly name: 'ours' | 'workers' | 'baseline' | 'peer';
  readonly url: string;
  readonly pid: number;
  readonly endpoints: Endpoints;
  /** The PKCE verifier every code was made with (the server still hashes it per exchange). */
  readonly codeVerifier: string;
  /** Fresh authorization codes for the web client, made concurrently. */
  codes(count: number): Promise<string[]>;
  /** Fresh refresh tokens, each starting its own rotation chain. */
  refreshTokens(count: number): Promise<string[]>;
  /** An access token userinfo accepts (opaque on the peer: its JWT ones are for the API). */
  userinfoToken(): Promise<string>;
  /** An access token to introspect (the peer's is opaque, its only introspectable kind). */
  introspectionToken(): Promise<string>;
  /** Fresh access tokens to revoke, and the Authorization header of the client they belong to. */
  revocableTokens(count: number): Promise<string[]>;
  readonly revokingClient: string;
  /** POST /login with a valid sealed interaction and CSRF cookie (ours only). */
  loginRequest?(): Promise<HttpRequest>;
  /** Stops the server and removes what it created (database, files). */
  close(): Promise<void>;
}

/** One benchmark: what it sends, what success looks like, and what it costs in signatures. */
export interface Scenario {
  readonly name: string;
  /** Status class of success: 2, or 3 for the login's redirect. */
  readonly expect: 2 | 3;
  /** RS256 signatures our server makes per response (for the signing-efficiency targets). */
  readonly signatures: number;
  /** The load against a target, or undefined when the scenario does not apply to it. */
  load(target: ServerTarget): Promise<Load | undefined>;
  /** Checks one response before the timed windows, so a broken setup cannot pass as fast. */
  verify(status: number, body: string): boolean;
}

const FORM = 'application/x-www-form-urlencoded';

function post(path: string, authorization: string, fields: Record<string, string>): HttpRequest {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': FORM, authorization },
    body: new URLSearchParams(fields).toString(),
  };
}

function json(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const tokenResponse = (status: number, body: string) =>
  status === 200 && typeof json(body).access_token === 'string';

/** Every scenario in the order they run; `hello` runs against its own process (run.ts). */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'discovery',
    expect: 2,
    signatures: 0,
    load: async (t) => ({ kind: 'fixed', request: { method: 'GET', path: t.endpoints.discovery } }),
    verify: (status, body) => status === 200 && typeof json(body).issuer === 'string',
  },
  {
    name: 'jwks',
    expect: 2,
    signatures: 0,
    load: async (t) => ({ kind: 'fixed', request: { method: 'GET', path: t.endpoints.jwks } }),
    verify: (status, body) => status === 200 && Array.isArray(json(body).keys),
  },
  {
    name: 'client_credentials',
    expect: 2,
    signatures: 1,
    load: async (t) => ({
      kind: 'fixed',
      request: post(t.endpoints.token, serviceAuth, {
        grant_type: 'client_credentials',
        scope: BENCH.service.scope,
      }),
    }),
    // A JWT access token (three parts), on the peer too (its resource server says format jwt).
    verify: (status, body) =>
      tokenResponse(status, body) && String(json(body).access_token).split('.').length === 3,
  },
  {
    name: 'authorization_code',
    expect: 2,
    // Access token, ID token and refresh token (our refresh tokens are JWTs too).
    signatures: 3,
    load: async (t) => ({
      kind: 'queue',
      produce: (count) => t.codes(count),
      request: (code) =>
        post(t.endpoints.token, webAuth, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: BENCH.callback,
          code_verifier: t.codeVerifier,
        }),
    }),
    verify: (status, body) =>
      tokenResponse(status, body) &&
      typeof json(body).id_token === 'string' &&
      typeof json(body).refresh_token === 'string',
  },
  {
    name: 'refresh',
    expect: 2,
    signatures: 3,
    load: async (t) => ({
      kind: 'chain',
      seeds: (count) => t.refreshTokens(count),
      request: (token) =>
        post(t.endpoints.token, webAuth, { grant_type: 'refresh_token', refresh_token: token }),
      successor: (body) => {
        const next = json(body).refresh_token;
        return typeof next === 'string' ? next : undefined;
      },
    }),
    verify: (status, body) =>
      tokenResponse(status, body) && typeof json(body).refresh_token === 'string',
  },
  {
    name: 'userinfo',
    expect: 2,
    signatures: 0,
    load: async (t) => ({
      kind: 'fixed',
      request: {
        method: 'GET',
        path: t.endpoints.userinfo,
        headers: { authorization: `Bearer ${await t.userinfoToken()}` },
      },
    }),
    verify: (status, body) => status === 200 && typeof json(body).sub === 'string',
  },
  {
    name: 'introspection',
    expect: 2,
    signatures: 0,
    load: async (t) => ({
      kind: 'fixed',
      request: post(t.endpoints.introspection, webAuth, { token: await t.introspectionToken() }),
    }),
    verify: (status, body) => status === 200 && json(body).active === true,
  },
  {
    name: 'revocation',
    expect: 2,
    signatures: 0,
    load: async (t) => ({
      kind: 'queue',
      produce: (count) => t.revocableTokens(count),
      request: (token) =>
        post(t.endpoints.revocation, t.revokingClient, { token, token_type_hint: 'access_token' }),
    }),
    verify: (status) => status === 200,
  },
  {
    name: 'login',
    expect: 3,
    signatures: 0,
    load: async (t) =>
      t.loginRequest ? { kind: 'fixed', request: await t.loginRequest() } : undefined,
    // A successful login of a first-party client redirects straight to the client with a code.
    verify: (status) => status === 303 || status === 302,
  },
];

/** Names accepted by --scenarios: every scenario above plus the Fastify baseline. */
export const SCENARIO_NAMES = ['hello', ...SCENARIOS.map((scenario) => scenario.name)] as const;
