import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RegisteredClient } from '@idp/oidc';
import { ClientRepository, importSeed, StoreError, type Database } from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';

const app = (clientId: string): RegisteredClient => ({
  clientId,
  clientName: 'App',
  secretHash: 'a'.repeat(64),
  tokenEndpointAuthMethod: 'client_secret_basic',
  redirectUris: ['https://app.example/callback'],
  postLogoutRedirectUris: [],
  grantTypes: ['authorization_code'],
  responseTypes: ['code'],
  scopes: ['openid'],
  resources: [],
  firstParty: false,
  requirePkce: true,
  idTokenSignedResponseAlg: 'RS256',
  requirePushedAuthorizationRequests: false,
  dpopBoundAccessTokens: false,
});

// Running servers keep clients in memory until this counter moves (apps/idp/src/client-cache.ts),
// so every client write must move it, in the same transaction, and a refused write must not.
for (const provider of PROVIDERS) {
  describe(`the client change counter on ${provider}`, () => {
    let scratch: MigratedScratch;
    let db: Database;
    let clients: ClientRepository;

    before(async () => {
      scratch = await openMigratedScratch(provider);
      ({ db } = scratch);
      clients = new ClientRepository(db);
    });
    after(() => scratch?.close());

    test('starts at 0 and moves by one with each add, secret rotation, removal and seed import', async () => {
      assert.equal(await clients.changeCount(), 0);
      await clients.create(app('counted'), 'test', Date.now());
      assert.equal(await clients.changeCount(), 1);
      await clients.setSecretHash('counted', 'b'.repeat(64), 'test', Date.now());
      assert.equal(await clients.changeCount(), 2);
      await importSeed(db, { clients: [app('seeded')], users: [] }, 'test', Date.now());
      assert.equal(await clients.changeCount(), 3);
      const again = await importSeed(
        db,
        { clients: [app('seeded')], users: [] },
        'test',
        Date.now(),
      );
      assert.deepEqual(again.clients, { created: [], updated: [], unchanged: ['seeded'] });
      assert.equal(await clients.changeCount(), 3, 'the same seed again changes no client');
      await importSeed(db, { clients: [], users: [] }, 'test', Date.now());
      assert.equal(await clients.changeCount(), 3, 'a seed without clients changes none');
      await clients.remove('counted', 'test', Date.now());
      assert.equal(await clients.changeCount(), 4);
    });

    test('a refused change does not move it', async () => {
      const before = await clients.changeCount();
      await assert.rejects(
        clients.create(app('seeded'), 'test', Date.now()),
        (error) => error instanceof StoreError && error.code === 'conflict',
      );
      await assert.rejects(
        clients.remove('nobody', 'test', Date.now()),
        (error) => error instanceof StoreError && error.code === 'not_found',
      );
      await assert.rejects(
        clients.setSecretHash('nobody', 'c'.repeat(64), 'test', Date.now()),
        StoreError,
      );
      assert.equal(await clients.changeCount(), before);
    });

    test('a change rolled back after the count (a seed whose user cannot be written) leaves the counter where it was', async () => {
      await db.prisma.user.create({
        data: { id: 'taken-id', email: 'first@example.com', passwordHash: 'x' },
      });
      const before = await clients.changeCount();
      const seed = {
        clients: [app('rolled-back')],
        // A new email, so the import inserts, with an id already taken: the insert fails after the clients were counted.
        users: [
          {
            id: 'taken-id',
            email: 'second@example.com',
            passwordHash: 'x',
            disabled: false,
            claims: {},
          },
        ],
      };
      await assert.rejects(importSeed(db, seed, 'test', Date.now()));
      assert.equal(await clients.findById('rolled-back'), null);
      assert.equal(await clients.changeCount(), before);
    });

    test('still counts when its row was deleted by hand', async () => {
      await db.prisma.changeCounter.deleteMany({});
      assert.equal(await clients.changeCount(), 0);
      await clients.setSecretHash('seeded', 'd'.repeat(64), 'test', Date.now());
      assert.equal(await clients.changeCount(), 1);
    });
  });
}
