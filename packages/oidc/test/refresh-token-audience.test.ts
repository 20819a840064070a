import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessTokenAudience } from '../src/tokens/access-token-audience.js';
import {
  acceptedRefreshTokenAudiences,
  refreshTokenAudience,
  reservedResourceProblem,
  type RegisteredClient,
} from '../src/index.js';

const ISSUER = 'https://idp.example';
const client = (resources: string[]) =>
  ({ clientId: 'app', resources }) as unknown as RegisteredClient;

test('issue 29 item 4: the refresh token audience is the token endpoint, never an access token audience (RFC 9068 4)', () => {
  const audience = refreshTokenAudience(ISSUER);
  assert.equal(audience, `${ISSUER}/token`);
  assert.equal(
    refreshTokenAudience(`${ISSUER}/`),
    audience,
    'a trailing slash on the issuer changes nothing',
  );
  assert.notEqual(audience, ISSUER, 'the default access token audience');
  // Even a client that got it registered (or asked for it) does not get it into an access token.
  assert.deepEqual(accessTokenAudience(ISSUER, client([audience]), [], ['openid']), [ISSUER]);
  assert.deepEqual(accessTokenAudience(ISSUER, client([audience, 'https://api.example']), [], []), [
    'https://api.example',
  ]);
  assert.deepEqual(accessTokenAudience(ISSUER, client([]), [audience], []), [ISSUER]);
  assert.ok(reservedResourceProblem(audience, ISSUER));
  assert.equal(reservedResourceProblem('https://api.example', ISSUER), undefined);
  assert.deepEqual(
    acceptedRefreshTokenAudiences(ISSUER),
    [audience, ISSUER],
    'refresh tokens from before the change still redeem',
  );
});
