import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmailTokenPurpose, EmailTokenRecord } from '../ports/email-token-store.js';
import type { UserAccount } from '../users/user-account.js';
import { ACTOR, DAY, MINUTE, seedFamily, seedUser, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `EmailTokenStore` (ports/email-token-store.ts), as node:test cases. */
export function describeEmailTokenStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`EmailTokenStore conformance: ${name}`, open, (stores) => {
    const token = (
      user: UserAccount,
      purpose: EmailTokenPurpose,
      overrides: Partial<EmailTokenRecord> = {},
    ): EmailTokenRecord => ({
      tokenHash: unique('email-token'),
      purpose,
      userId: user.id,
      email: user.email,
      expiresAt: T0 + 30 * MINUTE,
      ...overrides,
    });

    test('a created token is live until it expires, for its own purpose only, with its user', async () => {
      const user = await seedUser(stores());
      const reset = token(user, 'password_reset');
      await stores().emailTokens.create(reset, T0, { ip: '192.0.2.1' });
      const live = await stores().emailTokens.findLive(reset.tokenHash, 'password_reset', T0);
      assert.deepEqual(live, { ...reset, user });
      assert.equal(
        await stores().emailTokens.findLive(reset.tokenHash, 'password_reset', reset.expiresAt),
        null,
        'expired at expiresAt',
      );
      assert.equal(
        await stores().emailTokens.findLive(reset.tokenHash, 'email_verification', T0),
        null,
      );
      assert.equal(
        await stores().emailTokens.findLive(unique('email-token'), 'password_reset', T0),
        null,
      );
      const sent = await stores().audit.recent({ type: 'password_reset.sent', limit: 200 });
      assert.ok(sent.some((e) => e.userId === user.id && e.at === T0 && e.ip === '192.0.2.1'));
    });

    test('resetPassword works once: sets the hash, ends sessions, revokes families (offline too), voids other reset tokens', async () => {
      const { user, family } = await seedFamily(stores(), { offlineAccess: true });
      const sessionId = unique('session');
      await stores().sessions.create(
        {
          id: sessionId,
          userId: user.id,
          authTime: T0,
          amr: ['pwd'],
          acr: null,
          expiresAt: T0 + DAY,
        },
        T0,
      );
      const first = token(user, 'password_reset');
      const second = token(user, 'password_reset');
      const verification = token(user, 'email_verification');
      for (const t of [first, second, verification]) await stores().emailTokens.create(t, T0);
      const at = T0 + 5 * MINUTE;
      const updated = await stores().emailTokens.resetPassword(
        first.tokenHash,
        '$argon2id$new',
        at,
      );
      assert.equal(updated?.passwordHash, '$argon2id$new');
      assert.equal((await stores().users.findById(user.id))?.passwordHash, '$argon2id$new');
      assert.equal((await stores().sessions.find(sessionId))?.endedAt, at);
      assert.equal(
        (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
        at,
      );
      assert.equal(
        await stores().emailTokens.resetPassword(first.tokenHash, '$argon2id$again', at),
        null,
        'used twice',
      );
      assert.equal(
        await stores().emailTokens.findLive(second.tokenHash, 'password_reset', at),
        null,
      );
      assert.equal(
        await stores().emailTokens.resetPassword(second.tokenHash, '$argon2id$again', at),
        null,
        'another reset token of the user is void after a reset',
      );
      assert.notEqual(
        await stores().emailTokens.findLive(verification.tokenHash, 'email_verification', at),
        null,
        'a verification token is not a reset token',
      );
      assert.equal((await stores().users.findById(user.id))?.passwordHash, '$argon2id$new');
      const events = await stores().audit.recent({ type: 'user.password_reset', limit: 200 });
      assert.equal(events.filter((e) => e.userId === user.id && e.at === at).length, 1);
    });

    test('a token past expiry, of another purpose, or mailed to a former address does nothing', async () => {
      const user = await seedUser(stores());
      const late = token(user, 'password_reset', { expiresAt: T0 + MINUTE });
      const verification = token(user, 'email_verification');
      const elsewhere = token(user, 'password_reset', { email: `${unique('old')}@example.com` });
      for (const t of [late, verification, elsewhere]) await stores().emailTokens.create(t, T0);
      assert.equal(
        await stores().emailTokens.resetPassword(late.tokenHash, 'x', T0 + MINUTE),
        null,
      );
      assert.equal(await stores().emailTokens.resetPassword(verification.tokenHash, 'x', T0), null);
      assert.equal(await stores().emailTokens.verifyEmail(late.tokenHash, T0), null);
      assert.equal(await stores().emailTokens.resetPassword(elsewhere.tokenHash, 'x', T0), null);
      assert.equal((await stores().users.findById(user.id))?.passwordHash, user.passwordHash);
    });

    test('a disabled user cannot use a token', async () => {
      const user = await seedUser(stores());
      const reset = token(user, 'password_reset');
      await stores().emailTokens.create(reset, T0);
      await stores().users.setDisabled(user.email, true, ACTOR, T0);
      assert.equal(
        await stores().emailTokens.findLive(reset.tokenHash, 'password_reset', T0),
        null,
      );
      assert.equal(await stores().emailTokens.resetPassword(reset.tokenHash, 'x', T0), null);
    });

    test('verifyEmail sets email_verified once and keeps the other claims', async () => {
      const user = await stores().users.create(
        {
          id: unique('sub'),
          email: `${unique('new')}@example.com`,
          passwordHash: '$argon2id$x',
          claims: { name: 'Ada', email_verified: false },
        },
        ACTOR,
        T0,
      );
      const verification = token(user, 'email_verification');
      await stores().emailTokens.create(verification, T0);
      const verified = await stores().emailTokens.verifyEmail(verification.tokenHash, T0 + 1);
      assert.deepEqual(verified?.claims, { name: 'Ada', email_verified: true });
      assert.deepEqual((await stores().users.findById(user.id))?.claims, {
        name: 'Ada',
        email_verified: true,
      });
      assert.equal(await stores().emailTokens.verifyEmail(verification.tokenHash, T0 + 2), null);
    });

    const change = (user: UserAccount, overrides: Partial<EmailTokenRecord> = {}) =>
      token(user, 'email_change', { newEmail: `${unique('moved')}@example.com`, ...overrides });

    test('changeEmail works once: new address, email_verified true, other tokens void, audited', async () => {
      const user = await stores().users.create(
        {
          id: unique('sub'),
          email: `${unique('old')}@example.com`,
          passwordHash: '$argon2id$x',
          claims: { name: 'Ada', email_verified: false },
        },
        ACTOR,
        T0,
      );
      const moving = change(user);
      const reset = token(user, 'password_reset');
      for (const t of [moving, reset]) await stores().emailTokens.create(t, T0);
      assert.deepEqual(
        await stores().emailTokens.findLive(moving.tokenHash, 'email_change', T0),
        { ...moving, user },
        'the token holds the new address as well as the old',
      );
      const at = T0 + MINUTE;
      const result = await stores().emailTokens.changeEmail(moving.tokenHash, at, {
        ip: '192.0.2.7',
      });
      assert.ok(result !== null && result !== 'taken');
      assert.equal(result.user.email, moving.newEmail);
      assert.deepEqual(result.user.claims, { name: 'Ada', email_verified: true });
      assert.equal((await stores().users.findByEmail(moving.newEmail!))?.id, user.id);
      assert.equal(await stores().users.findByEmail(user.email), null);
      assert.equal(
        await stores().emailTokens.changeEmail(moving.tokenHash, at),
        null,
        'used twice',
      );
      assert.equal(
        await stores().emailTokens.findLive(reset.tokenHash, 'password_reset', at),
        null,
        'the reset link mailed to the old address is void',
      );
      const events = await stores().audit.recent({ type: 'user.email_changed', limit: 200 });
      const mine = events.filter((e) => e.userId === user.id);
      assert.equal(mine.length, 1);
      assert.deepEqual(mine[0]?.data, { from: user.email, to: moving.newEmail });
      assert.equal(mine[0]?.at, at);
      assert.equal(mine[0]?.ip, '192.0.2.7');
    });

    test('changeEmail to an address another user has answers taken and changes nothing', async () => {
      const user = await seedUser(stores());
      const other = await seedUser(stores());
      const moving = change(user, { newEmail: other.email });
      await stores().emailTokens.create(moving, T0);
      assert.equal(await stores().emailTokens.changeEmail(moving.tokenHash, T0 + 1), 'taken');
      assert.equal((await stores().users.findById(user.id))?.email, user.email);
      assert.equal((await stores().users.findByEmail(other.email))?.id, other.id);
      assert.notEqual(
        await stores().emailTokens.findLive(moving.tokenHash, 'email_change', T0 + 1),
        null,
        'the token stays unused',
      );
      const events = await stores().audit.recent({ type: 'user.email_changed', limit: 200 });
      assert.equal(events.filter((e) => e.userId === user.id).length, 0);
    });

    test('changeEmail refuses an expired token, another purpose, and a user at another address', async () => {
      const user = await seedUser(stores());
      const late = change(user, { expiresAt: T0 + MINUTE });
      const verification = token(user, 'email_verification');
      const elsewhere = change(user, { email: `${unique('former')}@example.com` });
      for (const t of [late, verification, elsewhere]) await stores().emailTokens.create(t, T0);
      assert.equal(await stores().emailTokens.changeEmail(late.tokenHash, T0 + MINUTE), null);
      assert.equal(await stores().emailTokens.changeEmail(verification.tokenHash, T0), null);
      assert.equal(await stores().emailTokens.changeEmail(elsewhere.tokenHash, T0), null);
      assert.equal(await stores().emailTokens.verifyEmail(elsewhere.tokenHash, T0), null);
      assert.equal((await stores().users.findById(user.id))?.email, user.email);
    });

    test('two users changing to one address concurrently: one wins, the other is taken', async () => {
      const target = `${unique('contested')}@example.com`;
      const a = await seedUser(stores());
      const b = await seedUser(stores());
      const ta = change(a, { newEmail: target });
      const tb = change(b, { newEmail: target });
      for (const t of [ta, tb]) await stores().emailTokens.create(t, T0);
      const results = await Promise.all([
        stores().emailTokens.changeEmail(ta.tokenHash, T0 + 1),
        stores().emailTokens.changeEmail(tb.tokenHash, T0 + 1),
      ]);
      assert.equal(results.filter((r) => r === 'taken').length, 1);
      const winner = results.find((r) => r !== null && r !== 'taken');
      assert.ok(winner);
      assert.equal((await stores().users.findByEmail(target))?.id, winner.user.id);
    });

    test('of 10 concurrent resets with one token exactly one wins', async () => {
      const user = await seedUser(stores());
      const reset = token(user, 'password_reset');
      await stores().emailTokens.create(reset, T0);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores().emailTokens.resetPassword(reset.tokenHash, `$argon2id$${i}`, T0 + 1),
        ),
      );
      const winners = results.filter((r) => r !== null);
      assert.equal(winners.length, 1);
      assert.equal(
        (await stores().users.findById(user.id))?.passwordHash,
        winners[0]!.passwordHash,
      );
    });
  });
}
