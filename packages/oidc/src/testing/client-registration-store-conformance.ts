import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../ports/store-error.js';
import { ACTOR, MINUTE, newClient, seedClient, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `ClientRegistrationStore` (ports/client-registration-store.ts), as node:test cases. */
export function describeClientRegistrationStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`ClientRegistrationStore conformance: ${name}`, open, (stores) => {
    test('a single-use initial access token is spent once, and its issue is audited without it', async () => {
      const s = stores();
      const tokenHash = unique('iat');
      await s.registrations.issueInitialAccessToken(
        { tokenHash, uses: 1, expiresAt: T0 + MINUTE },
        ACTOR,
        T0,
      );
      assert.equal(await s.registrations.spendInitialAccessToken(tokenHash, T0 + 1), true);
      assert.equal(await s.registrations.spendInitialAccessToken(tokenHash, T0 + 2), false);
      const [event] = await s.audit.recent({
        type: 'registration.initial_token_issued',
        limit: 50,
      });
      assert.ok(event);
      assert.equal(event.actor, ACTOR);
      assert.equal(JSON.stringify(event).includes(tokenHash), false);
    });

    test('of concurrent spends of a token with 3 uses exactly 3 win', async () => {
      const s = stores();
      const tokenHash = unique('iat');
      await s.registrations.issueInitialAccessToken(
        { tokenHash, uses: 3, expiresAt: T0 + MINUTE },
        ACTOR,
        T0,
      );
      const results = await Promise.all(
        Array.from({ length: 8 }, () => s.registrations.spendInitialAccessToken(tokenHash, T0)),
      );
      assert.equal(results.filter(Boolean).length, 3);
      assert.equal(await s.registrations.spendInitialAccessToken(tokenHash, T0), false);
    });

    test('a token is refused at and after its expiry, and an unknown one always', async () => {
      const s = stores();
      const tokenHash = unique('iat');
      await s.registrations.issueInitialAccessToken(
        { tokenHash, uses: 5, expiresAt: T0 + MINUTE },
        ACTOR,
        T0,
      );
      assert.equal(await s.registrations.spendInitialAccessToken(tokenHash, T0 + MINUTE), false);
      assert.equal(await s.registrations.spendInitialAccessToken(tokenHash, T0 + MINUTE - 1), true);
      assert.equal(await s.registrations.spendInitialAccessToken(unique('iat'), T0), false);
    });

    test('register creates the client with its registration, audited and counted', async () => {
      const s = stores();
      const client = newClient();
      const before = await s.clients.changeCount();
      const stored = await s.registrations.register(
        client,
        'b'.repeat(64),
        { actor: 'registration', ip: '192.0.2.7' },
        T0 + 5,
      );
      assert.deepEqual(stored, client);
      assert.deepEqual(await s.clients.findById(client.clientId), client);
      assert.deepEqual(await s.registrations.findRegistration(client.clientId), {
        clientId: client.clientId,
        tokenHash: 'b'.repeat(64),
        issuedAt: T0 + 5,
      });
      assert.notEqual(await s.clients.changeCount(), before);
      const events = await s.audit.recent({ type: 'client.registered', limit: 500 });
      const event = events.find((e) => e.clientId === client.clientId);
      assert.ok(event, 'client.registered recorded');
      assert.equal(event.actor, 'registration');
      assert.equal(event.ip, '192.0.2.7');
    });

    test('register refuses a taken client_id and changes nothing', async () => {
      const s = stores();
      const existing = await seedClient(s);
      await assert.rejects(
        s.registrations.register(
          newClient({ clientId: existing.clientId, clientName: 'Other' }),
          'c'.repeat(64),
          { actor: 'registration' },
          T0,
        ),
        (error: unknown) => error instanceof StoreError && error.code === 'conflict',
      );
      assert.equal((await s.clients.findById(existing.clientId))?.clientName, existing.clientName);
      assert.equal(await s.registrations.findRegistration(existing.clientId), null);
    });

    test('removing a registered client removes its registration', async () => {
      const s = stores();
      const client = newClient();
      await s.registrations.register(client, 'd'.repeat(64), { actor: 'registration' }, T0);
      await s.clients.remove(client.clientId, 'registration', T0 + 1);
      assert.equal(await s.registrations.findRegistration(client.clientId), null);
      assert.equal(await s.clients.findById(client.clientId), null);
      assert.equal(await s.registrations.findRegistration(unique('client')), null);
    });
  });
}
