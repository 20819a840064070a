import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { providers } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';
import { basic, tokenRequest } from '../support/flow.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

interface LogLine {
  readonly reqId?: string;
  readonly level: number;
  readonly msg: string;
  readonly detail?: string;
}

for (const provider of providers) {
  describe(`client authentication failures on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    /** The server's log lines of one request (by the id it sent back in x-request-id), once complete. */
    async function logOf(headers: Headers): Promise<LogLine[]> {
      const id = headers.get('x-request-id');
      assert.ok(id, 'the response names its request');
      const lines = () =>
        op.server
          .logLines()
          .map((line) => JSON.parse(line) as LogLine)
          .filter((line) => line.reqId === id);
      await waitFor(
        () => lines().some((line) => line.msg === 'request completed'),
        `the log lines of request ${id}`,
      );
      return lines();
    }
    const rejection = async (headers: Headers) =>
      (await logOf(headers)).find((line) => line.msg === 'request rejected');
    const exchange = {
      grant_type: 'authorization_code',
      code: 'no-such-code',
      redirect_uri: CALLBACK,
    };

    test('issue 29 item 15: client_secret_post from a client_secret_basic client is invalid_client naming the registered method (RFC 6749 5.2)', async () => {
      // openid-client's short form (a secret string) authenticates with client_secret_post.
      const config = await oidc.discovery(new URL(op.issuer), 'web', WEB_SECRET, undefined, {
        execute: [oidc.allowInsecureRequests],
      });
      const failure = await oidc.refreshTokenGrant(config, 'not-a-refresh-token').then(
        () => assert.fail('the request must be refused'),
        (error: unknown) => error,
      );
      assert.ok(
        failure instanceof oidc.ResponseBodyError ||
          failure instanceof oidc.WWWAuthenticateChallengeError,
        String(failure),
      );
      assert.equal(failure.status, 401);

      const response = await tokenRequest(
        op.issuer,
        { ...exchange, client_id: 'web', client_secret: WEB_SECRET },
        {},
      );
      assert.equal(response.status, 401);
      assert.equal(response.body.error, 'invalid_client');
      // RFC 6749 5.2: the challenge matches the scheme the client used, and client_secret_post
      // is no HTTP scheme: the error names the registered method instead.
      assert.equal(response.headers.get('www-authenticate'), null);
      assert.match(response.body.error_description as string, /registered for client_secret_basic/);
      assert.doesNotMatch(
        response.body.error_description as string,
        /client_secret_post|secret[^_]/,
        'says which method to use, nothing more',
      );

      const line = await rejection(response.headers);
      assert.ok(line, 'the refusal is logged');
      assert.equal(
        line.detail,
        'client web is registered for client_secret_basic but sent client_secret_post',
      );
      assert.ok(
        !JSON.stringify(await logOf(response.headers)).includes(WEB_SECRET),
        'the secret is not logged',
      );
    });

    test('issue 29 item 15: a wrong secret, an unknown client and no credentials are logged with their reason, never the secret', async () => {
      const wrongSecret = 'a-wrong-secret-that-must-never-reach-the-log-0123456789';
      const wrong = await tokenRequest(op.issuer, exchange, {
        authorization: basic('web', wrongSecret),
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_client');
      assert.equal(
        wrong.body.error_description,
        'client authentication failed',
        'a wrong secret is not told apart to the client',
      );
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic /);
      assert.equal((await rejection(wrong.headers))?.detail, 'wrong secret for client web');
      assert.ok(
        !op.server.output().includes(wrongSecret),
        'the presented secret is in no log line',
      );

      const unknown = await tokenRequest(op.issuer, exchange, {
        authorization: basic('nobody', wrongSecret),
      });
      assert.equal(unknown.status, 401);
      assert.equal(
        unknown.body.error_description,
        'client authentication failed',
        'an unknown client looks like a wrong secret',
      );
      assert.equal((await rejection(unknown.headers))?.detail, 'unknown client');

      const none = await tokenRequest(op.issuer, exchange, {});
      assert.equal(none.status, 401);
      assert.equal((await rejection(none.headers))?.detail, 'no credentials');
      assert.ok(!op.server.output().includes(wrongSecret));
    });
  });
}
