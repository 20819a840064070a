import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { importSeed, UserRepository, type Database } from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';

const user = (claims: Record<string, unknown>) => ({
  id: 'u-1',
  email: 'Ann@Example.com',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
  disabled: false,
  claims,
});

for (const provider of PROVIDERS) {
  describe(`seed import on ${provider}`, () => {
    let scratch: MigratedScratch;
    let db: Database;

    before(async () => {
      scratch = await openMigratedScratch(provider);
      ({ db } = scratch);
    });
    after(() => scratch?.close());

    test('a re-import keeps an address the user confirmed, unless the seed states email_verified', async () => {
      const users = new UserRepository(db);
      await importSeed(db, { clients: [], users: [user({ name: 'Ann' })] }, 'test', Date.now());
      // As the verification link does (EmailTokenStore.verifyEmail).
      await users.setClaims('ann@example.com', { name: 'Ann', email_verified: true }, 'test', 1);

      const again = { clients: [], users: [{ ...user({ name: 'Ann' }), passwordHash: null }] };
      const result = await importSeed(db, again, 'test', Date.now());
      assert.deepEqual(result.users.unchanged, ['ann@example.com']);
      assert.equal((await users.findByEmail('ann@example.com'))?.claims.email_verified, true);

      const renamed = { clients: [], users: [{ ...user({ name: 'Ann B' }), passwordHash: null }] };
      await importSeed(db, renamed, 'test', Date.now());
      const claims = (await users.findByEmail('ann@example.com'))?.claims;
      assert.deepEqual(claims, { name: 'Ann B', email_verified: true });

      const stated = { ...user({ name: 'Ann B', email_verified: false }), passwordHash: null };
      await importSeed(db, { clients: [], users: [stated] }, 'test', Date.now());
      assert.equal((await users.findByEmail('ann@example.com'))?.claims.email_verified, false);
    });
  });
}
