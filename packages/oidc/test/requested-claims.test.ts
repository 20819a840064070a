import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthorizationError,
  claimsBeyondScopes,
  consentCovers,
  nextStep,
  permittedClaimsRequest,
  type AuthorizationRequest,
  type ClaimsRequest,
  type ConsentGrant,
  type RegisteredClient,
} from '../src/index.js';

const everything: ClaimsRequest = {
  id_token: { email: null, name: { essential: true }, acr: { values: ['0'] } },
  userinfo: { email: null, email_verified: null, name: null, phone_number: null },
};

test("issue 29 item 1: claims reach only what the client's registered scopes carry (OIDC Core 5.4, 5.5)", () => {
  // Registered for openid only: no user claim at all, but acr (not user data) stays.
  assert.deepEqual(permittedClaimsRequest(everything, ['openid']), {
    id_token: { acr: { values: ['0'] } },
    userinfo: {},
  });
  assert.deepEqual(permittedClaimsRequest(everything, ['openid', 'email']), {
    id_token: { email: null, acr: { values: ['0'] } },
    userinfo: { email: null, email_verified: null },
  });
  assert.deepEqual(
    permittedClaimsRequest(everything, ['openid', 'email', 'profile', 'phone']),
    everything,
  );
  assert.equal(permittedClaimsRequest(undefined, ['openid']), undefined);
});

test('issue 29 item 1: what claims add beyond the scopes is what consent must cover (OIDC Core 5.5)', () => {
  assert.deepEqual(claimsBeyondScopes(['openid'], everything), [
    'email',
    'email_verified',
    'name',
    'phone_number',
  ]);
  assert.deepEqual(claimsBeyondScopes(['openid', 'email'], everything), ['name', 'phone_number']);
  assert.deepEqual(claimsBeyondScopes(['openid', 'email', 'profile', 'phone'], everything), []);
  assert.deepEqual(
    claimsBeyondScopes(['openid'], { id_token: { acr: null, auth_time: null } }),
    [],
    'not user claims',
  );
  assert.deepEqual(claimsBeyondScopes(['openid'], undefined), []);

  const asks = { scopes: ['openid'], claims: { userinfo: { email: null } } as ClaimsRequest };
  const grant = (scopes: string[], claims: string[] = []): ConsentGrant => ({ scopes, claims });
  assert.equal(consentCovers(grant(['openid']), asks), false, 'the email was never consented to');
  assert.equal(consentCovers(grant(['openid'], ['email']), asks), true, 'consented one by one');
  assert.equal(
    consentCovers(grant(['openid', 'email']), asks),
    true,
    'consented through its scope',
  );
  assert.equal(consentCovers(grant(['openid'], ['name']), asks), false);
  assert.equal(
    consentCovers(grant(['email'], ['email']), asks),
    false,
    'openid itself was not consented to',
  );
});

test('issue 29 item 1: a claim not yet consented to needs consent; prompt=none answers consent_required (OIDC Core 3.1.2.6)', () => {
  const client = { clientId: 'app', firstParty: false } as RegisteredClient;
  const request = (prompt: AuthorizationRequest['prompt']) =>
    ({
      scopes: ['openid'],
      claims: { id_token: { email: null } },
      prompt,
      redirectUri: 'https://app.example/cb',
      responseMode: 'query',
      state: 's',
    }) as unknown as AuthorizationRequest;
  const session = { sessionId: 's', userId: 'u', authTime: 0, amr: ['pwd'] };
  const input = (prompt: AuthorizationRequest['prompt'], granted: ConsentGrant) => ({
    request: request(prompt),
    client,
    session,
    granted,
    hintedSubject: undefined,
    now: 1,
  });
  assert.deepEqual(nextStep(input([], { scopes: ['openid'], claims: [] })), { kind: 'consent' });
  assert.throws(
    () => nextStep(input(['none'], { scopes: ['openid'], claims: [] })),
    (error: unknown) => error instanceof AuthorizationError && error.error === 'consent_required',
  );
  assert.deepEqual(nextStep(input(['none'], { scopes: ['openid'], claims: ['email'] })), {
    kind: 'issue',
  });
  assert.deepEqual(
    nextStep({
      ...input(['none'], { scopes: [], claims: [] }),
      client: { ...client, firstParty: true },
    }),
    { kind: 'issue' },
    'first-party clients are not asked',
  );
});
