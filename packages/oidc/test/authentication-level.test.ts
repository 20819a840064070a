import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACR_MFA,
  ACR_PASSWORD,
  AMR_PASSWORD_AND_PASSKEY,
  acrOf,
  AuthorizationError,
  needsSecondFactor,
  nextStep,
  requestedAcrValues,
  type AuthorizationRequest,
  type NextStepInput,
} from '../src/index.js';
import { client } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

// The sign-in policy (authentication-level.ts and the second-factor branch of next-step.ts):
// which requests need a second factor, and what the authorization endpoint does about it.

const request: AuthorizationRequest = {
  clientId: 'app',
  redirectUri: 'https://app.example/cb',
  responseMode: 'query',
  state: 'st-1',
  scopes: ['openid'],
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
const passwordSession = {
  sessionId: 's-1',
  userId: 'user-1',
  authTime: NOW - 60_000,
  amr: ['pwd'],
};
const mfaSession = { ...passwordSession, amr: ['pwd', 'otp', 'mfa'] };

function input(
  changes: Partial<NextStepInput> & { acr?: string[]; prompt?: AuthorizationRequest['prompt'] },
): NextStepInput {
  const { acr, prompt, ...rest } = changes;
  return {
    client: client({ firstParty: true }),
    session: passwordSession,
    granted: { scopes: [], claims: [] },
    hintedSubject: undefined,
    now: NOW,
    ...rest,
    request: { ...request, acrValues: acr ?? [], prompt: prompt ?? [] },
  };
}

test('RFC 8176 amr maps to our acr: mfa only when the session has it', () => {
  assert.equal(acrOf(['pwd']), ACR_PASSWORD);
  assert.equal(acrOf(['pwd', 'otp', 'mfa']), ACR_MFA);
  // RFC 8176 2: a user-verified passkey is a key held (hwk) unlocked by the person (user).
  assert.equal(acrOf(['hwk', 'user']), ACR_MFA);
  assert.equal(acrOf(['hwk']), ACR_PASSWORD);
});

test('RFC 8176 2: a password then a passkey is pwd, hwk, user and mfa, and the mfa acr', () => {
  assert.deepEqual(AMR_PASSWORD_AND_PASSKEY, ['pwd', 'hwk', 'user', 'mfa']);
  assert.equal(acrOf(AMR_PASSWORD_AND_PASSKEY), ACR_MFA);
  assert.equal(
    nextStep(
      input({ session: { ...passwordSession, amr: AMR_PASSWORD_AND_PASSKEY }, acr: [ACR_MFA] }),
    ).kind,
    'issue',
    'the step-up is met: no further factor asked',
  );
});

test('OIDC Core 3.1.2.1: acr_values naming only the mfa class need a second factor', () => {
  const plain = client();
  assert.equal(needsSecondFactor({ ...request, acrValues: [ACR_MFA] }, plain), true);
  assert.equal(needsSecondFactor({ ...request, acrValues: [ACR_PASSWORD] }, plain), false);
  // In order of preference: a password also meets the request.
  assert.equal(needsSecondFactor({ ...request, acrValues: [ACR_MFA, ACR_PASSWORD] }, plain), false);
  // Values we do not know are voluntary and ignored.
  assert.equal(needsSecondFactor({ ...request, acrValues: ['urn:other:loa:3'] }, plain), false);
  assert.equal(needsSecondFactor({ ...request, acrValues: ['urn:other', ACR_MFA] }, plain), true);
  assert.equal(needsSecondFactor(request, plain), false);
});

test('OIDC Registration 2: default_acr_values apply only when the request names no acr', () => {
  const strict = client({ defaultAcrValues: [ACR_MFA] });
  assert.equal(needsSecondFactor(request, strict), true);
  assert.equal(needsSecondFactor({ ...request, acrValues: [ACR_PASSWORD] }, strict), false);
  assert.deepEqual(requestedAcrValues(request, strict), [ACR_MFA]);
});

test('OIDC Core 5.5.1.1: an essential acr claim counts like acr_values', () => {
  const claims = { id_token: { acr: { essential: true, values: [ACR_MFA] } } };
  assert.equal(needsSecondFactor({ ...request, claims }, client()), true);
  const voluntary = { id_token: { acr: { values: [ACR_MFA] } } };
  assert.equal(needsSecondFactor({ ...request, claims: voluntary }, client()), false);
});

test('require_mfa on the client needs a second factor whatever the request says', () => {
  assert.equal(
    needsSecondFactor({ ...request, acrValues: [ACR_PASSWORD] }, client({ requireMfa: true })),
    true,
  );
});

test('a step-up on a password session asks for the second factor only', () => {
  assert.equal(
    nextStep(input({ acr: [ACR_MFA], secondFactorEnrolled: true })).kind,
    'second_factor',
  );
  assert.equal(
    nextStep(
      input({ client: client({ firstParty: true, requireMfa: true }), secondFactorEnrolled: true }),
    ).kind,
    'second_factor',
  );
  // A session that already has the factor is enough.
  assert.equal(nextStep(input({ acr: [ACR_MFA], session: mfaSession })).kind, 'issue');
  // No session: the login comes first (the password page, then the code).
  assert.equal(nextStep(input({ acr: [ACR_MFA], session: undefined })).kind, 'login');
  // prompt=login still signs in again from the start.
  assert.equal(nextStep(input({ prompt: ['login'], session: mfaSession })).kind, 'login');
});

test('a user without a second factor asked for one gets the no_second_factor step', () => {
  assert.equal(
    nextStep(input({ acr: [ACR_MFA], secondFactorEnrolled: false })).kind,
    'no_second_factor',
  );
});

test('OIDC Core 3.1.2.6: prompt=none turns the missing factor into an error for the client', () => {
  const errorOf = (changes: Parameters<typeof input>[0]) => {
    try {
      nextStep(input(changes));
    } catch (error) {
      assert.ok(error instanceof AuthorizationError);
      assert.equal(error.target?.redirectUri, 'https://app.example/cb');
      return error.error;
    }
    assert.fail('no error');
  };
  assert.equal(
    errorOf({ acr: [ACR_MFA], prompt: ['none'], secondFactorEnrolled: true }),
    'interaction_required',
  );
  assert.equal(
    errorOf({ acr: [ACR_MFA], prompt: ['none'], secondFactorEnrolled: false }),
    'unmet_authentication_requirements',
  );
});
