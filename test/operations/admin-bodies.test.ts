import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { providers } from '../support/databases.js';
import { startProvider, type ProviderFixture } from '../support/provider-fixture.js';

const ADMIN_TOKEN = 'admin-token-for-admin-body-tests-0123456789';

for (const provider of providers) {
  describe(`admin API bodies are validated strictly on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, { IDP_ADMIN_TOKEN: ADMIN_TOKEN });
    });
    after(async () => op?.close());

    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const post = (path: string, body: string, type = 'application/json') =>
      fetch(`${op.issuer}/admin${path}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': type },
        body,
      });
    const kids = async () =>
      (
        (await (await fetch(`${op.issuer}/admin/keys`, { headers: auth })).json()) as {
          keys: { kid: string; state: string }[];
        }
      ).keys;

    async function refused(response: Response, field: string, reason: RegExp) {
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'invalid_request');
      assert.match(body.error_description, new RegExp(`^${field}: `), 'names the field');
      assert.match(body.error_description, reason, 'says what is wrong');
    }

    test('issue 29 item 10: rotate refuses a non-boolean now and unknown fields with 400 naming them, and rotates nothing', async () => {
      const before = await kids();
      await refused(await post('/keys/rotate', '{"now":"true"}'), 'now', /true or false/);
      await refused(await post('/keys/rotate', '{"now":1}'), 'now', /true or false/);
      await refused(
        await post('/keys/rotate', '{"now":true,"immediately":true}'),
        'immediately',
        /unknown field/,
      );
      await refused(await post('/keys/rotate', 'null'), 'body', /JSON object/);
      await refused(await post('/keys/rotate', '[true]'), 'body', /JSON object/);
      // A form would carry "true" as a string: the admin API takes JSON only.
      const form = await post('/keys/rotate', 'now=true', 'application/x-www-form-urlencoded');
      assert.equal(form.status, 400);
      assert.deepEqual(await kids(), before, 'no refused request rotated a key');

      const rotated = await post('/keys/rotate', '{"now":true}');
      assert.equal(rotated.status, 201, 'a valid body still rotates');
      const { kid } = (await rotated.json()) as { kid: string };
      assert.equal((await kids()).find((key) => key.kid === kid)?.state, 'active');
    });

    test('issue 29 item 10: retire and revoke take no fields', async () => {
      const [key] = await kids();
      await refused(
        await post(`/keys/${key!.kid}/revoke`, '{"force":true}'),
        'force',
        /unknown field/,
      );
      await refused(await post(`/keys/${key!.kid}/retire`, '{"at":"now"}'), 'at', /unknown field/);
      assert.deepEqual(
        (await kids()).find((k) => k.kid === key!.kid),
        key,
        'the key is unchanged',
      );
    });
  });
}
