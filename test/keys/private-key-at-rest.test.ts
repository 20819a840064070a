import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '@idp/db';
import { decryptPrivateKey } from '@idp/keys';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment } from '../support/environment.js';
import { idp } from '../support/processes.js';

for (const provider of providers) {
  describe(`private keys at rest on ${provider}`, () => {
    let database: Awaited<ReturnType<typeof scratchDatabase>>;
    const kek = randomBytes(32);
    let env: Record<string, string>;

    before(async () => {
      database = await scratchDatabase(provider);
      env = await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: kek.toString('base64'),
      });
      const result = await idp(['keys', 'rotate', '--now'], env);
      assert.equal(result.code, 0, result.stderr);
    });
    after(async () => database?.drop());

    test('the private key column holds AES-256-GCM ciphertext, no key material', async () => {
      const db = await openDatabase(database.url);
      try {
        const rows = await db.prisma.signingKey.findMany();
        assert.equal(rows.length, 1);
        const { kid, privateKey: stored, publicJwk } = rows[0]!;
        assert.match(stored, /^v1\.[A-Za-z0-9_-]+$/);
        assert.doesNotMatch(stored, /PRIVATE KEY|"d"\s*:/);
        assert.throws(() => createPrivateKey({ key: Buffer.from(stored), format: 'pem' }));

        // Decrypted with the right key it is the private half of the published key...
        const der = decryptPrivateKey(stored, kek, kid);
        const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
        const jwk = privateKey.export({ format: 'jwk' });
        assert.equal(jwk.n, (JSON.parse(publicJwk) as { n: string }).n);
        // ...and none of its secret parts appear in the stored value or anywhere in the row.
        const row = JSON.stringify(rows[0]);
        for (const part of [
          jwk.d,
          jwk.p,
          jwk.q,
          der.toString('base64'),
          der.toString('base64url'),
          der.toString('hex'),
        ]) {
          assert.ok(part && !row.includes(part.slice(0, 32)));
        }
        assert.throws(() => decryptPrivateKey(stored, randomBytes(32), kid), /cannot be decrypted/);
      } finally {
        await db.close();
      }
    });

    test('the CLI run without the key-encryption key of the stored keys adds no key', async () => {
      // An operator's shell without the servers' IDP_KEY_ENCRYPTION_KEY (here, another one, as a
      // fresh keys/kek would be) must not add keys the servers cannot decrypt.
      const listed = (await idp(['keys', 'list', '--json'], env)).stdout;
      const elsewhere = { ...env, IDP_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
      for (const args of [
        ['keys', 'rotate'],
        ['keys', 'rotate', '--now'],
      ]) {
        const result = await idp(args, elsewhere);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /cannot be decrypted with the configured key-encryption key/);
      }
      assert.equal((await idp(['keys', 'list', '--json'], env)).stdout, listed);
    });
  });
}
