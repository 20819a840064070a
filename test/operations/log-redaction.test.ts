import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { spawnServer, type SpawnedServer } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

describe('issue 29 item 9: log redaction ignores the case of names', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let server: SpawnedServer;
  before(async () => {
    database = await scratchDatabase('sqlite');
    server = await spawnServer(
      await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      }),
    );
  });
  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  test('credentials in mixed-case query parameters never reach the request log (RFC 6750 2.3, OIDC id_token_hint)', async () => {
    const secrets = {
      ACCESS_TOKEN: 'secret-access-token-value-1',
      Id_Token_Hint: 'secret-id-token-hint-value-2',
      Code: 'secret-code-value-3',
      Client_Secret: 'secret-client-secret-value-4',
      REFRESH_TOKEN: 'secret-refresh-token-value-5',
      Logout_Token: 'secret-logout-token-value-6',
      Client_Assertion: 'secret-client-assertion-value-7',
      Interaction: 'secret-interaction-value-8',
      CSRF: 'secret-csrf-value-9',
    };
    const ids: (string | null)[] = [];
    for (const path of ['/userinfo', '/authorize', '/logout']) {
      const query = new URLSearchParams({ client_id: 'web', state: 'kept-in-the-log', ...secrets });
      const response = await fetch(`${server.url}${path}?${query.toString()}`, {
        redirect: 'manual',
      });
      ids.push(response.headers.get('x-request-id'));
    }
    const linesOf = (id: string | null) =>
      server.logLines().filter((line) => line.includes(`"reqId":"${id}"`));
    await waitFor(
      () => ids.every((id) => linesOf(id).some((line) => line.includes('request completed'))),
      'the request log lines',
    );
    const logged = ids.flatMap(linesOf).join('\n');
    assert.match(logged, /kept-in-the-log/, 'the URLs were logged');
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(!server.output().includes(value), `${name} was logged: ${logged}`);
      assert.match(logged, new RegExp(`${name}=%5BRedacted%5D`));
    }
  });
});
