import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  codeRecord,
  DAY,
  deviceRecord,
  familyRecord,
  refreshToken,
  seedClient,
  seedUser,
  T0,
  unique,
} from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `GarbageCollector` (ports/garbage-collector.ts), as node:test cases. */
export function describeGarbageCollectorConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`GarbageCollector conformance: ${name}`, open, (stores) => {
    test('collect deletes exactly what is strictly past its boundary as of now', async () => {
      const s = stores();
      const now = T0 + 10 * DAY;
      const keep = DAY;
      const past = now - keep;
      const [client, user] = [await seedClient(s), await seedUser(s)];

      // A family born of a code that outlives the run, so that only the codes below count.
      const family = async (
        overrides: Parameters<typeof familyRecord>[2],
        token: ReturnType<typeof refreshToken> | null = null,
      ) => {
        const code = codeRecord(client, user, {
          expiresAt: now + DAY,
          sessionId: overrides?.sessionId ?? null,
        });
        await s.codes.save(code, T0);
        const record = familyRecord(client, user, { expiresAt: now + 30 * DAY, ...overrides });
        await s.codes.redeem(code.codeHash, T0, record, token && { ...token, familyId: record.id });
        return record;
      };

      const codeOld = codeRecord(client, user, { expiresAt: past - 1 });
      const codeEdge = codeRecord(client, user, { expiresAt: past });
      for (const code of [codeOld, codeEdge]) await s.codes.save(code, T0);

      const session = async (expiresAt: number, endedAt: number | null) => {
        const id = unique('session');
        await s.sessions.create(
          { id, userId: user.id, authTime: T0, amr: ['pwd'], acr: null, expiresAt },
          T0,
        );
        // Its clients (Back-Channel Logout) go with it: deleting the session must not trip on them.
        await s.sessions.addClient(id, client.clientId, T0);
        if (endedAt !== null) await s.sessions.end(id, endedAt);
        return id;
      };
      const sessionExpired = await session(past - 1, null);
      const sessionEnded = await session(now + DAY, past - 1);
      const sessionEdge = await session(past, past);
      const familyOfExpiredSession = await family({ sessionId: sessionExpired });

      const [jtiOld, jtiEdge] = [unique('jti'), unique('jti')];
      await s.families.revokeAccessToken(jtiOld, now - 1, client.clientId, T0);
      await s.families.revokeAccessToken(jtiEdge, now, client.clientId, T0);

      const tokenOld = refreshToken('', { expiresAt: past - 1 });
      const live = await family({}, tokenOld);
      const tokenEdge = refreshToken(live.id, { expiresAt: past });
      assert.deepEqual(
        await s.refreshTokens.rotate(
          { id: tokenOld.id, tokenHash: tokenOld.tokenHash },
          tokenEdge,
          T0,
        ),
        { outcome: 'rotated' },
      );

      const familyExpired = await family({ expiresAt: past - 1 });
      const familyRevoked = await family({});
      await s.families.revokeFamily(familyRevoked.id, past - 1, 'test', client.clientId);
      const familyEdge = await family({ expiresAt: past });
      const familyRevokedEdge = await family({});
      await s.families.revokeFamily(familyRevokedEdge.id, past, 'test', client.clientId);

      const [interactionOld, interactionEdge] = [unique('interaction'), unique('interaction')];
      await s.singleUseIds.consume(interactionOld, now - 1);
      await s.singleUseIds.consume(interactionEdge, now);

      const pushed = (expiresAt: number) => ({
        requestUriHash: unique('par'),
        clientId: client.clientId,
        parameters: { scope: 'openid' },
        expiresAt,
      });
      const [pushedOld, pushedEdge] = [pushed(past - 1), pushed(past)];
      for (const record of [pushedOld, pushedEdge]) await s.pushedRequests.save(record, T0);
      const [deviceOld, deviceEdge] = [
        deviceRecord(client, { expiresAt: past - 1 }),
        deviceRecord(client, { expiresAt: past }),
      ];
      for (const device of [deviceOld, deviceEdge])
        assert.equal(await s.deviceAuthorizations.create(device, T0), true);
      const emailToken = (expiresAt: number) => ({
        tokenHash: unique('email-token'),
        purpose: 'password_reset' as const,
        userId: user.id,
        email: user.email,
        expiresAt,
      });
      const [emailTokenOld, emailTokenEdge] = [emailToken(past - 1), emailToken(past)];
      for (const t of [emailTokenOld, emailTokenEdge]) await s.emailTokens.create(t, T0);

      // Clients known by a metadata document: gone when not fetched for `keep` and no family
      // refers to them; kept at the boundary, or while a family lives.
      const documentClient = (fetchedAt: number) => {
        const id = `https://${unique('rp')}.example/client.json`;
        return s.clients
          .saveMetadataDocumentClient(
            { ...client, clientId: id, secretHash: null, metadataDocument: true },
            fetchedAt,
          )
          .then(() => id);
      };
      const documentOld = await documentClient(past - 1);
      const documentEdge = await documentClient(past);
      const documentInUse = await documentClient(past - 1);
      const inUse = (await s.clients.findById(documentInUse))!;
      const inUseCode = codeRecord(inUse, user, { expiresAt: now + DAY });
      await s.codes.save(inUseCode, T0);
      await s.codes.redeem(
        inUseCode.codeHash,
        T0,
        familyRecord(inUse, user, { expiresAt: now + 30 * DAY }),
        null,
      );

      const [iatOld, iatEdge] = [unique('iat'), unique('iat')];
      await s.registrations.issueInitialAccessToken(
        { tokenHash: iatOld, uses: 1, expiresAt: now - 1 },
        'test',
        T0,
      );
      await s.registrations.issueInitialAccessToken(
        { tokenHash: iatEdge, uses: 1, expiresAt: now },
        'test',
        T0,
      );

      const logoutNotice = (clientId: string) => ({
        clientId,
        uri: 'https://rp.example/backchannel',
        alg: 'RS256' as const,
        sessionId: unique('sid'),
        subject: unique('user'),
      });
      const deliveryEdge = unique('delivery-edge');
      await s.logoutDeliveries.enqueue([logoutNotice(unique('delivery-old'))], now - keep - 1);
      await s.logoutDeliveries.enqueue([logoutNotice(deliveryEdge)], now - keep);

      assert.deepEqual(await s.collector.collect(now, keep), {
        authorizationCodes: 1,
        sessions: 2,
        revokedAccessTokens: 1,
        refreshTokens: 1,
        tokenFamilies: 2,
        singleUseIds: 1,
        pushedRequests: 1,
        deviceAuthorizations: 1,
        emailTokens: 1,
        metadataDocumentClients: 1,
        initialAccessTokens: 1,
        oneTimeCodeEnrolments: 0,
        recoveryCodes: 0,
        logoutDeliveries: 1,
      });
      assert.deepEqual(
        (await s.logoutDeliveries.claim(now, 1000, 10)).map((d) => d.notice.clientId),
        [deliveryEdge],
      );
      assert.equal(await s.clients.findById(documentOld), null);
      assert.notEqual(await s.clients.findById(documentEdge), null);
      assert.notEqual(await s.clients.findById(documentInUse), null);

      assert.equal(await s.codes.find(codeOld.codeHash), null);
      assert.notEqual(await s.codes.find(codeEdge.codeHash), null);
      assert.equal(await s.sessions.find(sessionExpired), null);
      assert.equal(await s.sessions.find(sessionEnded), null);
      assert.notEqual(await s.sessions.find(sessionEdge), null);
      assert.equal(
        (await s.families.accessTokenState(unique('jti'), familyOfExpiredSession.id)).family
          ?.sessionId,
        null,
      );
      assert.equal((await s.families.accessTokenState(jtiOld, null)).revoked, false);
      assert.equal((await s.families.accessTokenState(jtiEdge, null)).revoked, true);
      assert.equal(await s.refreshTokens.find(tokenOld.id), null);
      assert.notEqual(await s.refreshTokens.find(tokenEdge.id), null);
      const familyExists = async (id: string) =>
        (await s.families.accessTokenState(unique('jti'), id)).family !== null;
      assert.equal(await familyExists(familyExpired.id), false);
      assert.equal(await familyExists(familyRevoked.id), false);
      assert.equal(await familyExists(familyEdge.id), true);
      assert.equal(await familyExists(familyRevokedEdge.id), true);
      assert.equal(
        await s.singleUseIds.consume(interactionOld, now + DAY),
        true,
        'a forgotten interaction id is new again',
      );
      assert.equal(await s.singleUseIds.consume(interactionEdge, now + DAY), false);
      assert.equal(await s.pushedRequests.find(pushedOld.requestUriHash), null);
      assert.notEqual(await s.pushedRequests.find(pushedEdge.requestUriHash), null);
      assert.equal(await s.deviceAuthorizations.find(deviceOld.deviceCodeHash), null);
      assert.notEqual(await s.deviceAuthorizations.find(deviceEdge.deviceCodeHash), null);
      // Looked up as of T0, when both were live: only a deleted one is gone.
      assert.equal(
        await s.emailTokens.findLive(emailTokenOld.tokenHash, 'password_reset', T0),
        null,
      );
      assert.notEqual(
        await s.emailTokens.findLive(emailTokenEdge.tokenHash, 'password_reset', T0),
        null,
      );
      assert.equal(await s.registrations.spendInitialAccessToken(iatEdge, now - 1), true);

      assert.deepEqual(await s.collector.collect(now, keep), {
        authorizationCodes: 0,
        sessions: 0,
        revokedAccessTokens: 0,
        refreshTokens: 0,
        tokenFamilies: 0,
        singleUseIds: 0,
        pushedRequests: 0,
        deviceAuthorizations: 0,
        emailTokens: 0,
        metadataDocumentClients: 0,
        initialAccessTokens: 0,
        oneTimeCodeEnrolments: 0,
        recoveryCodes: 0,
        logoutDeliveries: 0,
      });
    });
  });
}
