import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY, MINUTE, seedUser, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet, StoreSet } from './store-set.js';

const POLICY = { maxFailures: 3, lockMs: 5 * MINUTE };
const STEP = Math.floor(T0 / 30_000);

/** Ten fresh recovery code hashes. */
const codes = () => Array.from({ length: 10 }, () => unique('recovery'));

/** A user with a confirmed factor (at STEP) and its recovery code hashes. */
async function enrolled(s: StoreSet) {
  const user = await seedUser(s);
  const hashes = codes();
  assert.equal(await s.oneTimeCodes.startEnrolment(user.id, 'sealed', T0, T0 + 10 * MINUTE), true);
  assert.equal(await s.oneTimeCodes.confirmEnrolment(user.id, STEP, hashes, T0), true);
  return { user, hashes };
}

/** The contract of `OneTimeCodeStore` (ports/one-time-code-store.ts), as node:test cases. */
export function describeOneTimeCodeStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`OneTimeCodeStore conformance: ${name}`, open, (stores) => {
    test('an enrolment is pending until confirmed once, then holds ten recovery codes', async () => {
      const s = stores();
      const user = await seedUser(s);
      assert.equal(await s.oneTimeCodes.find(user.id, T0), null);
      await s.oneTimeCodes.startEnrolment(user.id, 'first', T0, T0 + 10 * MINUTE);
      assert.equal(
        await s.oneTimeCodes.startEnrolment(user.id, 'second', T0, T0 + 10 * MINUTE),
        true,
      );
      assert.deepEqual(await s.oneTimeCodes.find(user.id, T0), {
        userId: user.id,
        secret: 'second',
        confirmed: false,
        expiresAt: T0 + 10 * MINUTE,
        lastUsedStep: null,
        failures: 0,
        lockedUntil: null,
      });
      assert.equal(await s.oneTimeCodes.useStep(user.id, STEP, T0), false, 'pending: no sign-in');
      const hashes = codes();
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          s.oneTimeCodes.confirmEnrolment(user.id, STEP, hashes, T0 + 1, { ip: '192.0.2.9' }),
        ),
      );
      assert.deepEqual(results.filter(Boolean).length, 1, 'confirmed exactly once');
      const factor = await s.oneTimeCodes.find(user.id, T0 + 30 * DAY);
      assert.equal(factor?.confirmed, true, 'a confirmed factor does not expire');
      assert.equal(factor?.lastUsedStep, STEP);
      assert.equal(await s.oneTimeCodes.remainingRecoveryCodes(user.id), 10);
      assert.equal(
        await s.oneTimeCodes.startEnrolment(user.id, 'third', T0, T0 + 10 * MINUTE),
        false,
        'a confirmed factor is not replaced',
      );
      assert.equal((await s.oneTimeCodes.find(user.id, T0))?.secret, 'second');
      const events = await s.audit.recent({ type: 'one_time_code.enrolled', userId: user.id });
      assert.equal(events.length, 1);
      assert.equal(events[0]?.ip, '192.0.2.9');
    });

    test('an unconfirmed enrolment is void at its expiresAt', async () => {
      const s = stores();
      const user = await seedUser(s);
      await s.oneTimeCodes.startEnrolment(user.id, 'x', T0, T0 + MINUTE);
      assert.notEqual(await s.oneTimeCodes.find(user.id, T0 + MINUTE - 1), null);
      assert.equal(await s.oneTimeCodes.find(user.id, T0 + MINUTE), null);
      assert.equal(
        await s.oneTimeCodes.confirmEnrolment(user.id, STEP, codes(), T0 + MINUTE),
        false,
      );
      assert.equal(await s.oneTimeCodes.remainingRecoveryCodes(user.id), 0);
    });

    test('RFC 6238 5.2: a time step is accepted once, and never one before the last', async () => {
      const s = stores();
      const { user } = await enrolled(s);
      assert.equal(await s.oneTimeCodes.useStep(user.id, STEP, T0), false, 'the confirming step');
      assert.equal(await s.oneTimeCodes.useStep(user.id, STEP - 1, T0), false);
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => s.oneTimeCodes.useStep(user.id, STEP + 1, T0 + 30_000)),
      );
      assert.equal(results.filter(Boolean).length, 1, 'exactly one concurrent use wins');
      assert.equal((await s.oneTimeCodes.find(user.id, T0))?.lastUsedStep, STEP + 1);
      assert.equal(await s.oneTimeCodes.useStep(unique('sub'), STEP + 5, T0), false);
    });

    test('wrong codes lock the factor for a while, then the count starts again', async () => {
      const s = stores();
      const { user, hashes } = await enrolled(s);
      assert.equal(await s.oneTimeCodes.recordFailure(user.id, T0, POLICY), null);
      assert.equal(await s.oneTimeCodes.recordFailure(user.id, T0, POLICY), null);
      assert.equal((await s.oneTimeCodes.find(user.id, T0))?.failures, 2);
      assert.equal(await s.oneTimeCodes.recordFailure(user.id, T0, POLICY), T0 + POLICY.lockMs);
      const locked = await s.oneTimeCodes.find(user.id, T0);
      assert.equal(locked?.lockedUntil, T0 + POLICY.lockMs);
      assert.equal(locked?.failures, 0);
      assert.equal(await s.oneTimeCodes.useStep(user.id, STEP + 1, T0 + 1), false, 'locked');
      assert.equal(await s.oneTimeCodes.useRecoveryCode(user.id, hashes[0]!, T0 + 1), false);
      const after = T0 + POLICY.lockMs;
      assert.equal(await s.oneTimeCodes.useStep(user.id, STEP + 1, after), true);
      assert.equal(
        (await s.audit.recent({ type: 'one_time_code.locked', userId: user.id })).length,
        1,
      );
      // Concurrent failures are all counted.
      await Promise.all([1, 2].map(() => s.oneTimeCodes.recordFailure(user.id, after, POLICY)));
      assert.equal((await s.oneTimeCodes.find(user.id, after))?.failures, 2);
      assert.equal(await s.oneTimeCodes.recordFailure(unique('sub'), T0, POLICY), null);
    });

    test('clearFailures lifts a lock at once and forgets the count', async () => {
      const s = stores();
      const { user } = await enrolled(s);
      for (let i = 0; i < POLICY.maxFailures; i += 1)
        await s.oneTimeCodes.recordFailure(user.id, T0, POLICY);
      assert.equal(await s.oneTimeCodes.useStep(user.id, STEP + 1, T0 + 1), false, 'locked');
      assert.equal(await s.oneTimeCodes.clearFailures(user.id), true);
      const factor = await s.oneTimeCodes.find(user.id, T0 + 1);
      assert.equal(factor?.lockedUntil, null);
      assert.equal(factor?.failures, 0);
      assert.equal(await s.oneTimeCodes.useStep(user.id, STEP + 1, T0 + 1), true);
      assert.equal(await s.oneTimeCodes.clearFailures(unique('sub')), false);
    });

    test('a recovery code works once, for its own user only', async () => {
      const s = stores();
      const { user, hashes } = await enrolled(s);
      const other = await enrolled(s);
      assert.equal(await s.oneTimeCodes.useRecoveryCode(other.user.id, hashes[0]!, T0), false);
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          s.oneTimeCodes.useRecoveryCode(user.id, hashes[0]!, T0, { ip: '192.0.2.7' }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await s.oneTimeCodes.useRecoveryCode(user.id, hashes[0]!, T0 + 1), false);
      assert.equal(await s.oneTimeCodes.remainingRecoveryCodes(user.id), 9);
      const [used] = await s.audit.recent({ type: 'recovery_code.used', userId: user.id });
      assert.deepEqual(used?.data, { remaining: 9 });
      assert.equal(used?.ip, '192.0.2.7');

      const fresh = codes();
      assert.equal(await s.oneTimeCodes.replaceRecoveryCodes(user.id, fresh, T0 + 2), true);
      assert.equal(await s.oneTimeCodes.remainingRecoveryCodes(user.id), 10);
      assert.equal(
        await s.oneTimeCodes.useRecoveryCode(user.id, hashes[1]!, T0 + 3),
        false,
        'old codes void',
      );
      assert.equal(await s.oneTimeCodes.useRecoveryCode(user.id, fresh[1]!, T0 + 3), true);
      const stranger = await seedUser(s);
      assert.equal(await s.oneTimeCodes.replaceRecoveryCodes(stranger.id, codes(), T0), false);
    });

    test('remove deletes the factor and its codes, with an audit event naming the reason', async () => {
      const s = stores();
      const { user, hashes } = await enrolled(s);
      assert.equal(
        await s.oneTimeCodes.remove(user.id, T0 + 5, { actor: 'cli', reason: 'reset_by_operator' }),
        true,
      );
      assert.equal(await s.oneTimeCodes.find(user.id, T0 + 5), null);
      assert.equal(await s.oneTimeCodes.remainingRecoveryCodes(user.id), 0);
      assert.equal(await s.oneTimeCodes.useRecoveryCode(user.id, hashes[2]!, T0 + 5), false);
      const [removed] = await s.audit.recent({ type: 'one_time_code.removed', userId: user.id });
      assert.equal(removed?.actor, 'cli');
      assert.deepEqual(removed?.data, { reason: 'reset_by_operator' });
      assert.equal(await s.oneTimeCodes.remove(user.id, T0 + 6), false, 'nothing left');
      // Enrolling again works after a removal.
      assert.equal(await s.oneTimeCodes.startEnrolment(user.id, 'y', T0 + 7, T0 + DAY), true);
    });
  });

  conformanceSuite(`OneTimeCodeStore collection: ${name}`, open, (stores) => {
    test('gc deletes unconfirmed enrolments and used recovery codes strictly past the boundary', async () => {
      const s = stores();
      const now = T0 + 10 * DAY;
      const past = now - DAY;
      const [old, edge] = [await seedUser(s), await seedUser(s)];
      await s.oneTimeCodes.startEnrolment(old.id, 'x', T0, past - 1);
      await s.oneTimeCodes.startEnrolment(edge.id, 'x', T0, past);
      const { user, hashes } = await enrolled(s);
      await s.oneTimeCodes.useRecoveryCode(user.id, hashes[0]!, past - 1);
      await s.oneTimeCodes.useRecoveryCode(user.id, hashes[1]!, past);
      const first = await s.collector.collect(now, DAY);
      assert.equal(first.oneTimeCodeEnrolments, 1);
      assert.equal(first.recoveryCodes, 1);
      assert.equal(await s.oneTimeCodes.remainingRecoveryCodes(user.id), 8);
      assert.equal((await s.oneTimeCodes.find(user.id, now))?.confirmed, true, 'confirmed stays');
      const second = await s.collector.collect(now, DAY);
      assert.equal(second.oneTimeCodeEnrolments, 0);
      assert.equal(second.recoveryCodes, 0);
    });
  });
}
