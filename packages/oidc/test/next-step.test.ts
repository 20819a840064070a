import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthorizationError,
  nextStep,
  type AuthorizationRequest,
  type NextStepInput,
} from '../src/index.js';
import { client } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

const request: AuthorizationRequest = {
  clientId: 'app',
  redirectUri: 'https://app.example/cb',
  responseMode: 'query',
  state: 'st-1',
  scopes: ['openid', 'email'],
  nonce: undefined,
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  prompt: [],
  maxAge: undefined,
  loginHint: undefined,
  idTokenHint: undefined,
  acrValues: [],
  claims: undefined,
  resources: [],
};
const session = { sessionId: 's-1', userId: 'user-1', authTime: NOW - 600_000, amr: ['pwd'] };
const consented = { scopes: ['openid', 'email'], claims: [] };

type Changes = Partial<Omit<NextStepInput, 'request'>> & {
  request?: Partial<AuthorizationRequest>;
};

function input(changes: Changes = {}): NextStepInput {
  return {
    client: client(),
    session,
    granted: consented,
    hintedSubject: undefined,
    now: NOW,
    ...changes,
    request: { ...request, ...changes.request },
  };
}

const kind = (overrides: Changes) => nextStep(input(overrides)).kind;

function silentError(overrides: Changes): string {
  try {
    nextStep(input(overrides));
  } catch (error) {
    assert.ok(error instanceof AuthorizationError);
    assert.deepEqual(
      error.target,
      { redirectUri: 'https://app.example/cb', responseMode: 'query', state: 'st-1' },
      'redirected with state',
    );
    return error.error;
  }
  return assert.fail('prompt=none must not show a page');
}

test('no session: login; signed in and consented: issue', () => {
  assert.equal(kind({ session: undefined }), 'login');
  assert.equal(kind({}), 'issue');
});

test('prompt=login asks again, unless the person has just signed in for this request', () => {
  assert.equal(kind({ request: { prompt: ['login'] } }), 'login');
  assert.equal(kind({ request: { prompt: ['login'] }, justAuthenticated: true }), 'issue');
});

test('max_age: a login older than it asks again (OIDC Core 3.1.2.1)', () => {
  assert.equal(kind({ request: { maxAge: 600 } }), 'issue', 'exactly max_age old is still fresh');
  assert.equal(kind({ request: { maxAge: 599 } }), 'login');
  assert.equal(kind({ request: { maxAge: 0 }, justAuthenticated: true }), 'issue');
});

test('an id_token_hint naming someone else asks for a login, even just after one', () => {
  assert.equal(kind({ hintedSubject: 'user-1' }), 'issue');
  assert.equal(kind({ hintedSubject: 'user-2' }), 'login');
  assert.equal(kind({ hintedSubject: 'user-2', justAuthenticated: true }), 'login');
});

test('consent: asked for scopes or claims not granted yet, and again with prompt=consent; never for first-party clients', () => {
  assert.equal(kind({ granted: { scopes: ['openid'], claims: [] } }), 'consent');
  assert.equal(
    kind({ request: { claims: { userinfo: { phone_number: null } } } }),
    'consent',
    'a claim beyond the scopes',
  );
  assert.equal(
    kind({
      request: { claims: { userinfo: { phone_number: null } } },
      granted: { scopes: consented.scopes, claims: ['phone_number'] },
    }),
    'issue',
  );
  assert.equal(kind({ request: { prompt: ['consent'] } }), 'consent');
  assert.equal(kind({ request: { prompt: ['consent'] }, justConsented: true }), 'issue');
  assert.equal(
    kind({
      client: client({ firstParty: true }),
      granted: { scopes: [], claims: [] },
      request: { prompt: ['consent'] },
    }),
    'issue',
  );
});

test('prompt=none turns each question into its error, redirected to the client (OIDC Core 3.1.2.6)', () => {
  assert.equal(
    silentError({ session: undefined, request: { prompt: ['none'] } }),
    'login_required',
  );
  assert.equal(silentError({ request: { prompt: ['none'], maxAge: 1 } }), 'login_required');
  assert.equal(
    silentError({ hintedSubject: 'user-2', request: { prompt: ['none'] } }),
    'login_required',
  );
  assert.equal(
    silentError({ granted: { scopes: [], claims: [] }, request: { prompt: ['none'] } }),
    'consent_required',
  );
  assert.equal(kind({ request: { prompt: ['none'] } }), 'issue');
});

test('a client known by its metadata document is asked consent every time, even with a grant on file (draft-ietf-oauth-client-id-metadata-document 8.4)', () => {
  const documentClient = { ...client(), metadataDocument: true as const };
  assert.equal(kind({ client: documentClient }), 'consent');
  assert.equal(kind({ client: documentClient, justConsented: true }), 'issue');
  assert.equal(
    silentError({ client: documentClient, request: { prompt: ['none'] } }),
    'consent_required',
  );
});
