import { clientAssertions, DPOP_JKT, dpopProofs } from './client-keys.js';
import { BENCH, dpopAuth, serviceAuth, webAuth } from './fixture.js';
import type { HttpRequest, Load } from './load.js';

/** The endpoints a scenario calls, read from the server's discovery document. */
export interface Endpoints {
  readonly discovery: string;
  readonly jwks: string;
  readonly token: string;
  readonly userinfo: string;
  readonly introspection: string;
  readonly revocation: string;
  /** RFC 9126 pushed authorization request endpoint; absent on a checkout older than PAR. */
  readonly par: string | undefined;
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
  /**
   * Login submissions (ours only), each a POST of its own login page with that page's CSRF
   * cookie, as JSON: a page can be submitted once.
   */
  loginForms?(count: number): Promise<string[]>;
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

/** The payload of a compact JWS, or {} when `token` is not one. */
function jwtPayload(token: unknown): Record<string, unknown> {
  if (typeof token !== 'string' || token.split('.').length !== 3) return {};
  return json(Buffer.from(token.split('.')[1]!, 'base64url').toString());
}

/** The authorization request pushed by the `par` scenario (PKCE S256, as both servers require). */
const PUSHED_REQUEST = {
  response_type: 'code',
  client_id: BENCH.web.id,
  redirect_uri: BENCH.callback,
  scope: BENCH.scope,
  state: 'bench-state',
  nonce: 'bench-nonce',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM',
  code_challenge_method: 'S256',
};

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
    // RFC 7523 2.2 client authentication: a fresh ES256 assertion per request (unique jti, aud
    // the issuer), made before the window; the server checks its signature and records its jti.
    name: 'private_key_jwt',
    expect: 2,
    signatures: 1,
    load: async (t) => ({
      kind: 'queue',
      produce: (count) => clientAssertions(BENCH.keyed.id, t.url, count),
      request: (assertion) => ({
        method: 'POST',
        path: t.endpoints.token,
        headers: { 'content-type': FORM },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: BENCH.service.scope,
          client_id: BENCH.keyed.id,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
      }),
    }),
    verify: (status, body) =>
      tokenResponse(status, body) && String(json(body).access_token).split('.').length === 3,
  },
  {
    // RFC 9449 5: client_credentials with a fresh DPoP proof per request (htm, htu, iat, jti;
    // no nonce), the access token bound to the proof's key.
    name: 'dpop',
    expect: 2,
    signatures: 1,
    load: async (t) => {
      const tokenUrl = new URL(t.endpoints.token, t.url).href;
      return {
        kind: 'queue',
        produce: (count) => dpopProofs(tokenUrl, count),
        request: (proof) => {
          const request = post(t.endpoints.token, dpopAuth, {
            grant_type: 'client_credentials',
            scope: BENCH.service.scope,
          });
          return { ...request, headers: { ...request.headers, dpop: proof } };
        },
      };
    },
    // RFC 9449 5 and 6.1: token_type DPoP, and a JWT access token whose cnf.jkt is the key's.
    verify: (status, body) => {
      const answer = json(body);
      const cnf = jwtPayload(answer.access_token).cnf as Record<string, unknown> | undefined;
      return tokenResponse(status, body) && answer.token_type === 'DPoP' && cnf?.jkt === DPOP_JKT;
    },
  },
  {
    // RFC 9126 2: a confidential client (client_secret_basic) pushes an authorization request;
    // each push is stored and answered with a new request_uri.
    name: 'par',
    expect: 2,
    signatures: 0,
    load: async (t) => {
      if (!t.endpoints.par) throw new Error('the server has no pushed authorization endpoint');
      return { kind: 'fixed', request: post(t.endpoints.par, webAuth, PUSHED_REQUEST) };
    },
    // RFC 9126 2.2: 201 Created with the request_uri and its lifetime.
    verify: (status, body) => {
      const answer = json(body);
      return (
        status === 201 &&
        typeof answer.request_uri === 'string' &&
        answer.request_uri.startsWith('urn:ietf:params:oauth:request_uri:') &&
        typeof answer.expires_in === 'number'
      );
    },
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
    load: async (t) => {
      const { loginForms } = t;
      if (!loginForms) return undefined;
      const request = (form: string) => JSON.parse(form) as HttpRequest;
      return { kind: 'queue', produce: (count) => loginForms(count), request };
    },
    // A successful login of a first-party client redirects straight to the client with a code.
    verify: (status) => status === 303 || status === 302,
  },
];

/** Names accepted by --scenarios: every scenario above plus the Fastify baseline. */
export const SCENARIO_NAMES = ['hello', ...SCENARIOS.map((scenario) => scenario.name)] as const;
