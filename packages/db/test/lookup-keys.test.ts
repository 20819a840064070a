import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ClientRepository,
  RefreshTokenRepository,
  SessionRepository,
  UserRepository,
  type Database,
} from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';

// Lookups by keys that anyone can send (a client_id, a username, a claim of an unverified token)
// answer "not found" for a key that no row can hold, instead of failing: PostgreSQL refuses a NUL
// in text, and the endpoints above would have answered 500.
for (const provider of PROVIDERS) {
  describe(`lookups by a key no row can hold, ${provider}`, () => {
    let scratch: MigratedScratch;
    let db: Database;

    before(async () => {
      scratch = await openMigratedScratch(provider);
      ({ db } = scratch);
      await db.prisma.client.create({
        data: { id: 'rp', name: 'RP', tokenEndpointAuthMethod: 'none' },
      });
      await db.prisma.user.create({
        data: { id: 'u-1', email: 'a@example.com', passwordHash: 'h', claims: '{}' },
      });
    });
    after(() => scratch?.close());

    test('a NUL in the key is a miss, and the same lookups still find real rows', async () => {
      for (const key of ['\u0000', 'rp\u0000', 'a@example.com\u0000x']) {
        assert.equal(await new ClientRepository(db).findById(key), null);
        assert.equal(await new UserRepository(db).findByEmail(key), null);
        assert.equal(await new UserRepository(db).findById(key), null);
        assert.equal(await new SessionRepository(db).find(key), null);
        assert.equal(await new RefreshTokenRepository(db).find(key), null);
      }
      assert.equal((await new ClientRepository(db).findById('rp'))?.clientId, 'rp');
      assert.equal((await new UserRepository(db).findByEmail('a@example.com'))?.id, 'u-1');
      assert.equal((await new UserRepository(db).findById('u-1'))?.email, 'a@example.com');
    });
  });
}
