import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../ports/store-error.js';
import { ACTOR, newClient, seedClient, seedFamily, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `ClientStore` (ports/client-store.ts), as node:test cases. */
export function describeClientStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`ClientStore conformance: ${name}`, open, (stores) => {
    test('create then findById returns the client whole; unknown ids find null', async () => {
      const client = newClient({
        postLogoutRedirectUris: ['https://rp.example/bye'],
        resources: ['https://api.example'],
        firstParty: true,
        requirePkce: false,
        idTokenSignedResponseAlg: 'EdDSA',
        requirePushedAuthorizationRequests: true,
        dpopBoundAccessTokens: true,
        securityProfile: 'fapi2',
        backchannelLogoutUri: 'https://rp.example/backchannel?tenant=1',
        backchannelLogoutSessionRequired: true,
        frontchannelLogoutUri: 'https://rp.example/frontchannel',
        frontchannelLogoutSessionRequired: true,
        defaultAcrValues: ['urn:idp:acr:mfa'],
        requireMfa: true,
        userinfoSignedResponseAlg: 'ES256',
      });
      assert.deepEqual(await stores().clients.create(client, ACTOR, T0), client);
      assert.deepEqual(await stores().clients.findById(client.clientId), client);
      for (const alg of ['PS256', 'ES256', 'RS256'] as const) {
        await stores().clients.update(
          { ...client, idTokenSignedResponseAlg: alg },
          ACTOR,
          ['id_token_signed_response_alg'],
          T0,
        );
        assert.equal(
          (await stores().clients.findById(client.clientId))?.idTokenSignedResponseAlg,
          alg,
        );
      }
      await stores().clients.update(
        { ...client, userinfoSignedResponseAlg: null },
        ACTOR,
        ['userinfo_signed_response_alg'],
        T0,
      );
      assert.equal(
        (await stores().clients.findById(client.clientId))?.userinfoSignedResponseAlg,
        null,
        'no userinfo_signed_response_alg: plain JSON',
      );
      assert.equal(await stores().clients.findById('no-such-client'), null);
      assert.equal(await stores().clients.findById('nul\u0000byte'), null);
    });

    test('a private_key_jwt client keeps its keys and algorithms (RFC 7591 jwks, jwks_uri)', async () => {
      const jwks = {
        keys: [
          {
            kty: 'EC',
            crv: 'P-256',
            kid: 'k1',
            x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
            y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
          },
        ],
      };
      const client = newClient({
        tokenEndpointAuthMethod: 'private_key_jwt',
        secretHash: null,
        jwks,
        tokenEndpointAuthSigningAlg: 'ES256',
        requestObjectSigningAlg: 'ES256',
      });
      assert.deepEqual(await stores().clients.create(client, ACTOR, T0), client);
      assert.deepEqual(await stores().clients.findById(client.clientId), client);
      const byUri = {
        ...client,
        jwks: null,
        jwksUri: 'https://rp.example/jwks.json',
        tokenEndpointAuthSigningAlg: 'EdDSA' as const,
        requestObjectSigningAlg: null,
      };
      assert.deepEqual(await stores().clients.update(byUri, ACTOR, ['jwks_uri'], T0), byUri);
      assert.deepEqual(await stores().clients.findById(client.clientId), byUri);
    });

    test('a taken client_id is a conflict; unknown ids are not_found, and nothing is written', async () => {
      const client = await stores().clients.create(newClient(), ACTOR, T0);
      const count = await stores().clients.changeCount();
      await assert.rejects(
        stores().clients.create({ ...client, clientName: 'other' }, ACTOR, T0),
        (e) => e instanceof StoreError && e.code === 'conflict',
      );
      const missing = newClient();
      await assert.rejects(
        stores().clients.update(missing, ACTOR, ['client_name'], T0),
        (e) => e instanceof StoreError && e.code === 'not_found',
      );
      await assert.rejects(
        stores().clients.remove(missing.clientId, ACTOR, T0),
        (e) => e instanceof StoreError && e.code === 'not_found',
      );
      await assert.rejects(
        stores().clients.setSecretHash(missing.clientId, 'b'.repeat(64), ACTOR, T0),
        (e) => e instanceof StoreError && e.code === 'not_found',
      );
      assert.equal(await stores().clients.changeCount(), count);
      assert.equal(
        (await stores().clients.findById(client.clientId))?.clientName,
        'Conformance client',
      );
      assert.equal(await stores().clients.findById(missing.clientId), null);
    });

    test('of concurrent creates with one client_id, one wins and the others are conflicts', async () => {
      // Instances starting together all try to create the built-in console client.
      const client = newClient();
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => stores().clients.create(client, ACTOR, T0)),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results)
        if (r.status === 'rejected')
          assert.ok(
            r.reason instanceof StoreError && r.reason.code === 'conflict',
            String(r.reason),
          );
    });

    test('update replaces metadata in place; setSecretHash replaces the hash', async () => {
      const client = await stores().clients.create(newClient(), ACTOR, T0);
      const changed = {
        ...client,
        clientName: 'Renamed',
        redirectUris: ['https://rp.example/a', 'https://rp.example/b'],
        secretHash: null,
        tokenEndpointAuthMethod: 'none' as const,
      };
      assert.deepEqual(await stores().clients.update(changed, ACTOR, ['client_name'], T0), changed);
      assert.deepEqual(await stores().clients.findById(client.clientId), changed);
      await stores().clients.setSecretHash(client.clientId, 'c'.repeat(64), ACTOR, T0);
      assert.equal((await stores().clients.findById(client.clientId))?.secretHash, 'c'.repeat(64));
    });

    test('every write moves the change counter; reads do not', async () => {
      const before = await stores().clients.changeCount();
      const client = await stores().clients.create(newClient(), ACTOR, T0);
      const afterCreate = await stores().clients.changeCount();
      assert.ok(afterCreate > before);
      await stores().clients.findById(client.clientId);
      await stores().clients.list();
      assert.equal(await stores().clients.changeCount(), afterCreate);
      await stores().clients.update({ ...client, clientName: 'x' }, ACTOR, ['client_name'], T0);
      const afterUpdate = await stores().clients.changeCount();
      assert.ok(afterUpdate > afterCreate);
      await stores().clients.setSecretHash(client.clientId, 'd'.repeat(64), ACTOR, T0);
      const afterSecret = await stores().clients.changeCount();
      assert.ok(afterSecret > afterUpdate);
      await stores().clients.remove(client.clientId, ACTOR, T0);
      assert.ok((await stores().clients.changeCount()) > afterSecret);
    });

    test('list is ordered by client_id', async () => {
      const b = await stores().clients.create(
        newClient({ clientId: `zz-list-b-${T0}` }),
        ACTOR,
        T0,
      );
      const a = await stores().clients.create(
        newClient({ clientId: `zz-list-a-${T0}` }),
        ACTOR,
        T0,
      );
      const ids = (await stores().clients.list()).map((c) => c.clientId);
      assert.ok(ids.indexOf(a.clientId) >= 0 && ids.indexOf(a.clientId) < ids.indexOf(b.clientId));
    });

    test('writes are audited at the given time, by the given actor', async () => {
      const client = await stores().clients.create(newClient(), 'auditor', T0 + 5);
      const [event] = (await stores().audit.recent({ type: 'client.created', limit: 50 })).filter(
        (e) => e.clientId === client.clientId,
      );
      assert.equal(event?.at, T0 + 5);
      assert.equal(event?.actor, 'auditor');
    });

    test('update and remove record the address they were given with the actor (issue 32)', async () => {
      const client = await stores().clients.create(newClient(), 'registration', T0);
      const by = { actor: 'registration', ip: '192.0.2.7' };
      await stores().clients.update({ ...client, clientName: 'y' }, by, ['client_name'], T0 + 1);
      await stores().clients.remove(client.clientId, by, T0 + 2);
      for (const type of ['client.updated', 'client.removed']) {
        const [event] = (await stores().audit.recent({ type, limit: 50 })).filter(
          (e) => e.clientId === client.clientId,
        );
        assert.equal(event?.actor, 'registration', type);
        assert.equal(event?.ip, '192.0.2.7', type);
      }
    });

    test('a metadata document client is saved, replaced in place, audited on change, never over a registered one', async () => {
      const clientId = `https://${unique('rp')}.example/client.json`;
      const document = newClient({
        clientId,
        secretHash: null,
        tokenEndpointAuthMethod: 'none',
        metadataDocument: true,
      });
      const count = await stores().clients.changeCount();
      await stores().clients.saveMetadataDocumentClient(document, T0);
      assert.deepEqual(await stores().clients.findById(clientId), document);
      await stores().clients.saveMetadataDocumentClient(document, T0 + 1);
      const renamed = { ...document, clientName: 'Renamed' };
      await stores().clients.saveMetadataDocumentClient(renamed, T0 + 2);
      assert.deepEqual(await stores().clients.findById(clientId), renamed);
      assert.equal(await stores().clients.changeCount(), count, 'the change counter stays');
      const events = (
        await stores().audit.recent({ type: 'client.metadata_document', limit: 50 })
      ).filter((e) => e.clientId === clientId);
      assert.deepEqual(
        events.map((e) => e.at).sort(),
        [T0, T0 + 2],
        'audited when new and when changed, not when fetched unchanged',
      );

      const registered = await stores().clients.create(newClient(), ACTOR, T0);
      await assert.rejects(
        stores().clients.saveMetadataDocumentClient({ ...registered, metadataDocument: true }, T0),
        (e) => e instanceof StoreError && e.code === 'conflict',
      );
      assert.deepEqual(await stores().clients.findById(registered.clientId), registered);
    });

    test('remove deletes the client with its consents, codes and families', async () => {
      const { client, user, code, family, token } = await seedFamily(stores());
      await stores().consents.grant(user.id, client.clientId, ['openid']);
      await stores().clients.remove(client.clientId, ACTOR, T0);
      assert.equal(await stores().clients.findById(client.clientId), null);
      assert.deepEqual(await stores().consents.granted(user.id, client.clientId), {
        scopes: [],
        claims: [],
      });
      assert.equal(await stores().codes.find(code.codeHash), null);
      assert.equal(await stores().refreshTokens.find(token.id), null);
      assert.equal((await stores().families.accessTokenState('jti', family.id)).family, null);
    });

    test('page: ordered by client_id after the cursor, searched in client_id and name, limited', async () => {
      const prefix = unique('pg').replace(/-/g, '');
      const ids = ['a', 'b', 'c', 'd'].map((letter) => `${prefix}${letter}`);
      for (const [index, clientId] of ids.entries())
        await seedClient(stores(), { clientId, clientName: index === 2 ? 'Shop Front' : 'App' });
      const page = (query: Parameters<ReturnType<typeof stores>['clients']['page']>[0]) =>
        stores()
          .clients.page(query)
          .then((list) => list.map((c) => c.clientId));
      assert.deepEqual(await page({ search: prefix, limit: 2 }), ids.slice(0, 2));
      assert.deepEqual(await page({ search: prefix, after: ids[1], limit: 10 }), ids.slice(2));
      assert.deepEqual(await page({ search: prefix.toUpperCase(), limit: 10 }), ids);
      assert.deepEqual(
        (await page({ search: 'SHOP FRONT', limit: 100 })).filter((id) => id.startsWith(prefix)),
        [ids[2]],
      );
      // LIKE's wildcards in a search match themselves.
      assert.deepEqual(await page({ search: `${prefix}%`, limit: 10 }), []);
      assert.deepEqual(await page({ search: `${prefix.slice(0, -1)}_`, limit: 10 }), []);
      assert.deepEqual(await page({ search: 'nul\u0000', limit: 10 }), []);
    });
  });
}
