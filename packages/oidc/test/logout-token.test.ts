import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BACKCHANNEL_LOGOUT_EVENT,
  clientMetadataSchema,
  frontchannelLogoutUrls,
  issueAuthorizationCode,
  logoutNotices,
  logoutTokenClaims,
  logoutUriProblem,
  type EndedSession,
} from '../src/index.js';
import { createMemoryStores } from '../src/testing/index.js';
import { client } from './protocol-fakes.js';

const ended: EndedSession = { sessionId: 'sid-1', userId: 'user-1', clientIds: ['a', 'b', 'c'] };
const a = client({
  clientId: 'a',
  backchannelLogoutUri: 'https://a.example/bc',
  idTokenSignedResponseAlg: 'ES256',
});
const b = client({ clientId: 'b', frontchannelLogoutUri: 'https://b.example/fc?x=1' });
const c = client({ clientId: 'c' });
const stranger = client({ clientId: 'z', backchannelLogoutUri: 'https://z.example/bc' });

test('Back-Channel Logout 1.0 2.5: a notice for each client of the session with a backchannel_logout_uri', () => {
  assert.deepEqual(logoutNotices(ended, [a, b, c, null, stranger]), [
    {
      clientId: 'a',
      uri: 'https://a.example/bc',
      alg: 'ES256',
      sessionId: 'sid-1',
      subject: 'user-1',
    },
  ]);
});

test('Back-Channel Logout 1.0 2.4: claims iss aud iat exp jti sub sid events, and never a nonce', () => {
  const [notice] = logoutNotices(ended, [a]);
  const claims = logoutTokenClaims(notice!, {
    issuer: 'https://op.example',
    now: 1_700_000_000_999,
    ttlSeconds: 120,
    jti: 'j-1',
  });
  assert.deepEqual(claims, {
    iss: 'https://op.example',
    aud: 'a',
    iat: 1_700_000_000,
    exp: 1_700_000_120,
    jti: 'j-1',
    sub: 'user-1',
    sid: 'sid-1',
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  });
  // 2.4: a logout token MUST NOT contain a nonce claim.
  assert.equal('nonce' in claims, false);
});

test('Front-Channel Logout 1.0 3: iss and sid added to the frontchannel_logout_uri, its query kept', () => {
  assert.deepEqual(frontchannelLogoutUrls(ended, [a, b, c], 'https://op.example'), [
    'https://b.example/fc?x=1&iss=https%3A%2F%2Fop.example&sid=sid-1',
  ]);
});

test('Back-Channel Logout 1.0 2.2: logout URIs are absolute, without fragment; http only for allowed hosts', () => {
  const base = { client_id: 'rp', redirect_uris: ['https://rp.example/cb'] };
  for (const uri of [
    'https://rp.example/bc#frag',
    '/relative',
    'ftp://rp.example/bc',
    'https://u:p@rp.example/',
  ]) {
    for (const member of ['backchannel_logout_uri', 'frontchannel_logout_uri']) {
      const parsed = clientMetadataSchema.safeParse({ ...base, [member]: uri });
      assert.equal(parsed.success, false, `${member} ${uri}`);
      assert.deepEqual(parsed.error?.issues[0]?.path, [member]);
    }
  }
  const parsed = clientMetadataSchema.parse({
    ...base,
    backchannel_logout_uri: 'https://rp.example/bc',
  });
  assert.equal(parsed.backchannel_logout_session_required, false);
  assert.equal(logoutUriProblem('https://rp.example/bc', []), undefined);
  assert.match(logoutUriProblem('http://rp.example/bc', [])!, /must be https/);
  assert.equal(logoutUriProblem('http://127.0.0.1:8080/bc', ['127.0.0.1']), undefined);
  assert.equal(logoutUriProblem('http://[::1]:8080/bc', ['::1']), undefined);
});

test('issuing a code records the client in the session only when it registered a logout URI', async () => {
  const stores = createMemoryStores();
  const user = await stores.users.create(
    { id: 'user-1', email: 'u@example.com', passwordHash: 'x', claims: {} },
    'test',
    0,
  );
  await stores.sessions.create(
    { id: 'sid-1', userId: user.id, authTime: 0, amr: ['pwd'], acr: null, expiresAt: 60_000 },
    0,
  );
  const session = { sessionId: 'sid-1', userId: user.id, authTime: 0, amr: ['pwd'] };
  const saved: string[] = [];
  for (const registered of [a, c]) {
    await issueAuthorizationCode(
      {
        clientId: registered.clientId,
        redirectUri: 'https://rp.example/cb',
        responseMode: 'query',
        state: undefined,
        scopes: ['openid'],
        nonce: undefined,
        codeChallenge: 'x',
        prompt: [],
        maxAge: undefined,
        loginHint: undefined,
        idTokenHint: undefined,
        acrValues: [],
        claims: undefined,
        resources: [],
      },
      session,
      {
        codes: { save: async (record) => void saved.push(record.clientId) },
        now: 1,
        codeTtlSeconds: 60,
        issuer: 'https://op.example',
        participation: { sessions: stores.sessions, client: registered },
      },
    );
  }
  assert.deepEqual(saved, ['a', 'c']);
  const { ended: done } = await stores.sessions.end('sid-1', 2);
  assert.deepEqual(done?.clientIds, ['a']);
});
