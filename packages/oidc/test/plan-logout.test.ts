import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkLogoutRequest,
  logoutClientId,
  logoutFinish,
  planLogout,
  type IdTokenHint,
  type LogoutParameters,
} from '../src/index.js';
import { client } from './protocol-fakes.js';

const app = client();
const hint: IdTokenHint = { subject: 'user-1', clientId: 'app' };
const BYE = 'https://app.example/bye';

/** The route's order: the hint is read, the client it names is looked up, then the request is checked. */
function check(params: LogoutParameters, presentedHint: IdTokenHint | undefined) {
  const clientId = logoutClientId(params, presentedHint);
  return checkLogoutRequest({
    params,
    hint: presentedHint,
    client: clientId === 'app' ? app : null,
  });
}

test('a post_logout_redirect_uri is honoured only when registered for the client named (RP-Initiated Logout 1.0, 3)', () => {
  assert.deepEqual(
    check({ client_id: 'app', post_logout_redirect_uri: BYE, state: 's' }, undefined),
    {
      ok: true,
      target: { postLogoutRedirectUri: BYE, state: 's' },
    },
  );
  assert.deepEqual(check({ id_token_hint: 'token', post_logout_redirect_uri: BYE }, hint), {
    ok: true,
    target: { postLogoutRedirectUri: BYE, state: undefined },
  });
  assert.match(
    problem(
      check({ client_id: 'app', post_logout_redirect_uri: 'https://evil.example/' }, undefined),
    ),
    /not registered for this application/,
  );
  assert.match(
    problem(check({ post_logout_redirect_uri: BYE }, undefined)),
    /not registered for this application/,
    'no client named, nothing is registered',
  );
  assert.deepEqual(check({}, undefined), {
    ok: true,
    target: { postLogoutRedirectUri: undefined, state: undefined },
  });
});

test('a hint we did not issue, two different clients, or an unknown client make the link invalid', () => {
  assert.match(problem(check({ id_token_hint: 'forged' }, undefined)), /did not issue/);
  assert.match(
    problem(check({ id_token_hint: 'token', client_id: 'other' }, hint)),
    /two different applications/,
  );
  assert.match(problem(check({ client_id: 'nobody' }, undefined)), /not registered\.$/);
});

test('only the client the request names is looked up; none for a request already invalid', () => {
  assert.equal(logoutClientId({ client_id: 'app' }, undefined), 'app');
  assert.equal(logoutClientId({ id_token_hint: 'token' }, hint), 'app');
  assert.equal(logoutClientId({}, undefined), undefined);
  assert.equal(logoutClientId({ id_token_hint: 'forged' }, undefined), undefined);
  assert.equal(logoutClientId({ id_token_hint: 'token', client_id: 'other' }, hint), undefined);
});

test('nobody signed in: nothing to end, straight to the target', () => {
  const plan = planLogout({
    target: { postLogoutRedirectUri: BYE, state: 'a b' },
    hint,
    signedInSubject: undefined,
  });
  assert.deepEqual(plan, {
    kind: 'finish',
    finish: { kind: 'redirect', location: `${BYE}?state=a+b` },
  });
});

test('a hint naming the signed-in person ends the session without asking; anything else is confirmed first', () => {
  const target = { postLogoutRedirectUri: undefined, state: undefined };
  assert.deepEqual(planLogout({ target, hint, signedInSubject: 'user-1' }), {
    kind: 'end-session',
    subject: 'user-1',
    clientId: 'app',
    finish: { kind: 'signed-out-page' },
  });
  assert.deepEqual(planLogout({ target, hint, signedInSubject: 'user-2' }), {
    kind: 'confirm',
    subject: 'user-2',
  });
  assert.deepEqual(planLogout({ target, hint: undefined, signedInSubject: 'user-1' }), {
    kind: 'confirm',
    subject: 'user-1',
  });
});

test('the redirect keeps the registered URI query and adds state', () => {
  assert.deepEqual(logoutFinish({ postLogoutRedirectUri: `${BYE}?x=1`, state: 's' }), {
    kind: 'redirect',
    location: `${BYE}?x=1&state=s`,
  });
  assert.deepEqual(logoutFinish({ postLogoutRedirectUri: BYE, state: undefined }), {
    kind: 'redirect',
    location: BYE,
  });
});

function problem(result: ReturnType<typeof checkLogoutRequest>): string {
  assert.equal(result.ok, false);
  return result.ok ? '' : result.problem;
}
